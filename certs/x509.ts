// The only door to @peculiar/x509 in certs/: its tsyringe dependency throws on load unless
// reflect-metadata was evaluated first, so that import must stay first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { cryptoProvider } from '@peculiar/x509';

// Pin Node's own WebCrypto instead of relying on whatever global the library finds.
cryptoProvider.set(webcrypto);

export * from '@peculiar/x509';
