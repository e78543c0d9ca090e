import { defineDrillSuite } from './drill-suite.js';

defineDrillSuite();
