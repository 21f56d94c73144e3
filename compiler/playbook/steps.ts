// Steps as written -> the plan's steps: one kind each, defaults filled in, durations in milliseconds, and a
// stable id: the author's, or one derived from the step's place (`steps.2`, `week-before.do.0`,
// `on.event.updated.1`), so that a send keeps its idempotency key until the playbook's structure changes.

import type { Diagnostic } from '../diagnostics.js';
import { parseDuration } from '../duration.js';
import { closestName } from '../didYouMean.js';
import { WEEKDAYS } from '../plan.js';
import type { Recipient, Step, Weekday } from '../plan.js';
import { StepShell } from '../schema/playbook.js';
import { validator } from '../schema/validator.js';
import { diagnosticAt } from '../yaml/yamlFile.js';
import type { YamlFile, YamlPath } from '../yaml/yamlFile.js';
import { normaliseCondition } from './condition.js';
import { normaliseMemberWrites } from './memberWrites.js';
import type { FieldUse } from './condition.js';

const stepShell = validator(StepShell);

/** Where a step sits, for messages and for what its templates and conditions can see. */
export interface StepSite {
  at: YamlPath;
  /** Inside an `on` handler or `wait_for.on_event`: `received` is there. */
  received: boolean;
  /** It, or a step it is nested in, has an authored id: its own id survives reordering the steps above. */
  anchored: boolean;
}

/** A condition of an `if` step, with the fields it reads and whether `received` is there. */
export interface ConditionSite {
  fields: FieldUse[];
  received: boolean;
}

interface Place extends StepSite {
  idPrefix: string;
}

export class StepNormaliser {
  readonly sites = new Map<Step, StepSite>();
  readonly conditions: ConditionSite[] = [];

  constructor(
    private readonly file: YamlFile,
    private readonly problems: Diagnostic[],
    /** List items that are half of a step split in two (splitSteps.ts): reported there, not steps. */
    private readonly halves: ReadonlySet<unknown> = new Set(),
  ) {}

  /** The steps of a list; a step the schema refused is left out (its errors are already reported). */
  list(raw: unknown, place: Place): Step[] {
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((item: unknown, index) => {
      if (!stepShell.is(item) || this.halves.has(item)) return [];
      const authored = item.id !== undefined;
      const site = {
        at: [...place.at, index],
        received: place.received,
        anchored: place.anchored || authored,
      };
      const step = this.step(item, item.id ?? `${place.idPrefix}.${index}`, authored, site);
      this.sites.set(step, site);
      return [step];
    });
  }

  private step(item: StepShell, id: string, authoredId: boolean, site: StepSite): Step {
    const base = { id, authoredId };
    const at = (...path: Array<string | number>): YamlPath => [...site.at, ...path];
    const nested = (key: string, raw: unknown, received = site.received): Step[] =>
      this.list(raw, { ...site, at: at(key), idPrefix: `${id}.${key}`, received });

    if ('send_email' in item) {
      const send = item.send_email;
      const options = typeof send === 'string' ? { template: send } : send;
      return {
        ...base,
        kind: 'send_email',
        template: options.template,
        to: recipient(options.to),
        category: options.category ?? 'community',
        quietHours: options.quiet_hours ?? true,
      };
    }
    if ('wait' in item) return { ...base, kind: 'wait', ms: this.duration(item.wait, at('wait'), false) };
    if ('wait_until' in item) {
      const until = item.wait_until;
      if ('local_time' in until) {
        const days = (until.days ?? []).flatMap((day, index) =>
          this.weekday(day, at('wait_until', 'days', index)),
        );
        return {
          ...base,
          kind: 'wait_local_time',
          localTime: until.local_time,
          days: days.length === 0 ? [...WEEKDAYS] : [...new Set(days)],
        };
      }
      const { time, offset } = until;
      return { ...base, kind: 'wait_until', time, offsetMs: this.offset(offset, at('wait_until', 'offset')) };
    }
    if ('at' in item) {
      const { time, offset, if_past } = item.at;
      return {
        ...base,
        kind: 'at',
        time,
        offsetMs: this.offset(offset, at('at', 'offset')),
        ifPast: if_past ?? 'skip',
        do: nested('do', item.do),
      };
    }
    if ('wait_for' in item) {
      const { event, timeout } = item.wait_for;
      return {
        ...base,
        kind: 'wait_for',
        events: typeof event === 'string' ? [event] : [...new Set(event)],
        timeoutMs: timeout === undefined ? null : this.duration(timeout, at('wait_for', 'timeout'), false),
        onEvent: nested('on_event', item.on_event ?? [], true),
        onTimeout: nested('on_timeout', item.on_timeout ?? []),
      };
    }
    if ('if' in item) {
      const { condition, fields } = normaliseCondition(
        this.file,
        at('if'),
        item.if,
        { allowEmpty: false },
        this.problems,
      );
      this.conditions.push({ fields, received: site.received });
      return {
        ...base,
        kind: 'if',
        condition,
        then: nested('then', item.then),
        else: nested('else', item.else ?? []),
      };
    }
    if ('update_member' in item) {
      const { set = {}, add_tags = [], remove_tags = [] } = item.update_member;
      if ('tags' in set && (add_tags.length > 0 || remove_tags.length > 0)) {
        const message = 'set tags, or add_tags and remove_tags, not both: they would undo each other';
        this.problems.push(
          diagnosticAt(this.file, at('update_member', 'set', 'tags'), message, { target: 'key' }),
        );
      }
      return {
        ...base,
        kind: 'update_member',
        set: normaliseMemberWrites(this.file, at('update_member', 'set'), set, this.problems),
        addTags: add_tags,
        removeTags: remove_tags,
      };
    }
    if ('introduce' in item) {
      const { match, template } = item.introduce;
      return {
        ...base,
        kind: 'introduce',
        match: { same: match.same, within: match.within ?? null },
        template,
      };
    }
    return { ...base, kind: 'exit', reason: item.exit };
  }

  duration(text: string, at: YamlPath, allowNegative: boolean): number {
    const parsed = parseDuration(text, { allowNegative });
    if (parsed.ok) return parsed.ms;
    this.problems.push(diagnosticAt(this.file, at, parsed.message));
    return 0;
  }

  /** `sat`; `Saturday` and `SAT` name it too, but the language writes three letters: say so. */
  private weekday(written: string, at: YamlPath): Weekday[] {
    const day = WEEKDAYS.find((name) => name === written);
    if (day !== undefined) return [day];
    const meant =
      WEEKDAYS.find((name) => written.toLowerCase().startsWith(name)) ?? closestName(written, WEEKDAYS);
    const message =
      meant === null
        ? `"${written}" is not a day: write mon, tue, wed, thu, fri, sat or sun`
        : `"${written}" is not a day (did you mean "${meant}"?)`;
    this.problems.push(diagnosticAt(this.file, at, message));
    return [];
  }

  private offset(text: string | undefined, at: YamlPath): number {
    return text === undefined ? 0 : this.duration(text, at, true);
  }
}

function recipient(to: string | undefined): Recipient {
  if (to === undefined || to === 'member') return { kind: 'member' };
  if (to === 'manager') return { kind: 'manager' };
  return { kind: 'address', address: to };
}
