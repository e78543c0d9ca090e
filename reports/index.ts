export { renderConsole, type ConsoleOptions } from './console.js';
export { JSON_FILE, renderJson, writeJson } from './json.js';
export { JUNIT_FILE, renderJunit, writeJunit } from './junit.js';
export { renderCatalog } from './catalog.js';
export { HTML_FILE, renderHtml, writeHtml } from './html.js';
export { MARKDOWN_FILE, renderMarkdown, writeMarkdown } from './markdown.js';
export { renderAnnotations } from './annotations.js';
export { describeBaseline, describeMark } from './baseline-text.js';
