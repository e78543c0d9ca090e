// Deliver: building one request, sending it over TLS, and classifying what happened.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { classify } from './classify.js';
export { clientTlsOffer } from './tls-offer.js';
export { PROXIED_IDENTITY } from './proxy-headers.js';
export { summarizeRequest } from './request-summary.js';
export { buildDelivery, type Delivery } from './request.js';
export { deliver, deliverOnOneConnection, preloadDeliveryClient, type ClientCredentials, type Endpoint } from './send.js';
export { trickleHeaders } from './slow-headers.js';
