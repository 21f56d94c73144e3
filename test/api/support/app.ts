// The API under test, built with buildApp over the real stack: the shipped playbooks folder (community.yaml
// has a `join` form and a `tally` webhook), a real link signer, a webhook secret in its own environment.

import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import type { TendConfig } from '../../../contract/config.js';
import {
  createLinkSigner,
  expiresIn,
  type LinkPayload,
  type LinkSigner,
} from '../../../domain/links/signedLinks.js';
import { buildApp } from '../../../api/app.js';
import type { ApiDeps } from '../../../api/deps.js';
import { createPlaybooksFolderSource } from '../../../api/playbooksFolder.js';
import type { TendApp } from '../../../api/typeProvider.js';
import type { Stack } from './stack.js';

export const API_KEY = 'test-key-0123456789';
export const PUBLIC_URL = 'http://tend.test';
/** A Standard Webhooks secret: `whsec_` and base64 of random bytes. */
export const TALLY_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

export interface Api {
  readonly app: TendApp;
  readonly links: LinkSigner;
  /** A signed link's path and query (`/l/survey?t=...`), as a client would request it. */
  linkPath(payload: Omit<LinkPayload, 'x'> & { x?: number }): string;
}

export function testConfig(taskQueue: string): TendConfig {
  return {
    playbooksDir: 'playbooks',
    temporal: { address: inject('temporalAddress'), namespace: 'default', taskQueue },
    mongodbUri: inject('mongoUri'),
    smtpUrl: 'smtp://127.0.0.1:1',
    port: 0,
    publicUrl: PUBLIC_URL,
    apiKeys: ['an-old-key-still-valid', API_KEY],
    secret: 'test-secret-0123456789abcdef',
    dataDir: '.data',
  };
}

/**
 * Registers hooks that build the app before this file's tests and close it after them. Overrides that need
 * something made in another hook (a mailbox's port) are given as a function, called when the app is built.
 */
export function useApi(stack: Stack, overrides: Partial<ApiDeps> | (() => Partial<ApiDeps>) = {}): Api {
  let app: TendApp | undefined;
  const config = testConfig(stack.taskQueue);
  const links = createLinkSigner({ secret: config.secret, publicUrl: config.publicUrl });
  const logger = pino({ level: process.env.TEND_TEST_LOG ?? 'silent' });

  beforeAll(async () => {
    app = await buildApp({
      config,
      models: stack.models,
      temporal: stack.client,
      plans: createPlaybooksFolderSource({ dir: config.playbooksDir, models: stack.models, logger }),
      links,
      logger,
      longestIngestWaitMs: 30_000,
      publicRateLimit: { max: 100_000, timeWindowMs: 60_000 },
      env: { TALLY_WEBHOOK_SECRET: TALLY_SECRET },
      ...(typeof overrides === 'function' ? overrides() : overrides),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  return {
    get app() {
      if (!app) throw new Error('useApi(): the app exists inside tests and hooks only');
      return app;
    },
    links,
    linkPath: (payload) => {
      const url = links.url({ ...payload, x: payload.x ?? expiresIn(payload.a, Date.now()) });
      return url.slice(PUBLIC_URL.length);
    },
  };
}
