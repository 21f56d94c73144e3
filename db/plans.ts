// Compiled playbooks, one record per playbook version, written by the worker's playbook registry so that the
// API reports playbooks (version, enabled, valid, every error) without compiling them, and a fan-out loads
// the exact version it was started with. The plan is stored as JSON text: its conditions hold `$`-operators,
// which MongoDB-wire servers do not all accept as stored field names.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface PlanDoc {
  playbook: string;
  /** The plan's version hash; null for a playbook that has never compiled (only its errors are known). */
  version: string | null;
  /** `JSON.stringify(plan)`; null with `version`. */
  planJson: string | null;
  enabled: boolean;
  /**
   * Whether the playbook's file, as it is now, compiles. When it does not, the current record is the last
   * good version, still in service, and `diagnostics` holds every error as `file:line:col message`.
   */
  valid: boolean;
  /** (`errors` would clash with a name mongoose reserves.) */
  diagnostics: string[];
  /** The version in service: one record per playbook; false for older versions and removed playbooks. */
  current: boolean;
  compiledAt: Date;
  updatedAt: Date;
}

export const planSchema = new Schema<PlanDoc>(
  {
    playbook: { type: String, required: true },
    version: { type: String, default: null },
    planJson: { type: String, default: null },
    enabled: { type: Boolean, required: true },
    valid: { type: Boolean, required: true },
    diagnostics: { type: [String], default: [] },
    current: { type: Boolean, required: true },
    compiledAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  storageOptions('plans'),
);

planSchema.index({ playbook: 1, version: 1 }, { unique: true });
planSchema.index({ current: 1, playbook: 1 });

/**
 * A stamp that every write to the plans changes, in one record keyed on `_id`. Routing an event asks for the
 * current plans; reading them is a scan of every stored version (FerretDB reads a filter on anything but `_id`
 * from the whole collection, plans' texts included). A reader keeps what it read with the stamp it saw, and
 * reads the plans again only when the stamp has moved: one keyed read per event instead.
 */
export interface PlanChangeDoc {
  /** Always `PLANS_CHANGE_ID`: one record. */
  _id: string;
  /** A random value, new at every write: two writes never leave the same stamp behind. */
  stamp: string;
  at: Date;
}

export const PLANS_CHANGE_ID = 'plans';

export const planChangeSchema = new Schema<PlanChangeDoc>(
  {
    _id: { type: String, required: true },
    stamp: { type: String, required: true },
    at: { type: Date, required: true },
  },
  storageOptions('planChanges'),
);
