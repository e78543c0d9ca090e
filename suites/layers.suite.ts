import { defineLayerSuites } from './layer-suite.js';

defineLayerSuites();
