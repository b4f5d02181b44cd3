/**
 * The platform's one zeebe-node client. Against the embedded engine it connects over loopback in plaintext;
 * against a Camunda 8 cluster zeebe-node takes everything (ZEEBE_ADDRESS, OAuth, TLS) from its own ZEEBE_*
 * variables, so nothing else changes.
 */
import { ZBClient } from 'zeebe-node';
import type { RunningEngine } from '../engine/index';

export function connectZeebe(embedded: RunningEngine | undefined): ZBClient {
  if (!embedded) return new ZBClient({ loglevel: 'INFO' });
  return new ZBClient(`127.0.0.1:${embedded.port}`, { useTLS: false, oAuth: undefined, camundaCloud: undefined, loglevel: 'NONE' });
}
