import { defineLayerSuite } from './layer-suite.js';

defineLayerSuite('transport');
