export { renderConsole, type ConsoleOptions } from './console.js';
export { JSON_FILE, renderJson, writeJson } from './json.js';
export { JUNIT_FILE, renderJunit, writeJunit } from './junit.js';
export { renderCatalog } from './catalog.js';
