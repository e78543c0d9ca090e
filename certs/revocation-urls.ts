// Where the revocation responder serves what. Certificates embed these URLs (CRL distribution
// points, authority information access) and the responder routes on the same paths.

export const OCSP_PATH = '/ocsp';
/** Every current CRL in one PEM file: the same as the kit's crl.pem. */
export const CRL_BUNDLE_PATH = '/crl.pem';
export const CRL_DIR = '/crl/';

function crlPath(slug: string): string {
  return `${CRL_DIR}${slug}.crl`;
}

export interface RevocationUrls {
  readonly origin: string;
  readonly ocsp: string;
  readonly crlBundle: string;
  /** The DER CRL of the CA named `slug`. */
  crl(slug: string): string;
}

/** `origin` is the responder's `http://127.0.0.1:PORT`. */
export function revocationUrls(origin: string): RevocationUrls {
  return {
    origin,
    ocsp: origin + OCSP_PATH,
    crlBundle: origin + CRL_BUNDLE_PATH,
    crl: (slug) => origin + crlPath(slug),
  };
}
