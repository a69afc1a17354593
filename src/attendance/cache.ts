/**
 * What the figures of many cadres share: the spans of days (dates, bit indexes, days off), the same compiled
 * for counting with the day-line entries, which days of a span each term counts, and the targets of cadres with
 * the same term and leave, which in a county is nearly everyone. Built for one computation and
 * dropped with it; the values it hands out are shared between cadres and must not be changed.
 */
import { monthDates } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import { compileSpan, termMask, spanDays, type CompiledSpan, type SpanDay } from './days.js';
import {
  annualTarget,
  monthlyTarget,
  type AnnualTarget,
  type MonthlyTarget,
  type TargetCalendar,
  type Term,
} from './targets.js';

export class FiguresCache {
  private readonly spans = new Map<string, SpanDay[]>();
  private readonly monthly = new Map<string, MonthlyTarget>();
  private readonly plainMonthly = new Map<string, Map<string, MonthlyTarget>>();
  private readonly annual = new Map<string, AnnualTarget>();
  private readonly annualExcused = new Map<string, AnnualTarget>();
  private readonly compiled = new Map<string, CompiledSpan>();
  private readonly periods = new WeakMap<object, CompiledSpan>();
  private readonly masks = new Map<CompiledSpan, Map<string, Uint8Array>>();
  // The annual targets by term object and anchor (and count of excused dates), in front of those by key.
  private readonly annualByTerm = new Map<Term, Map<string, AnnualTarget>>();
  private readonly excusedByTerm = new Map<Term, Map<string, AnnualTarget[]>>();

  constructor(
    readonly calendar: TargetCalendar,
    readonly policy: Policy,
  ) {}

  /** The days from `start` to `end`, both included. */
  span(start: string, end: string): SpanDay[] {
    const key = `${start}/${end}`;
    let span = this.spans.get(key);
    if (!span) {
      span = spanDays(start, end, this.calendar);
      this.spans.set(key, span);
    }
    return span;
  }

  /** The days of a month `YYYY-MM`. */
  month(month: string): SpanDay[] {
    let span = this.spans.get(month);
    if (!span) {
      const dates = monthDates(month);
      span = this.span(dates[0]!, dates[dates.length - 1]!);
      this.spans.set(month, span);
    }
    return span;
  }

  /** The days from `start` to `end` ready for counting (see `CompiledSpan`). */
  compiledSpan(start: string, end: string): CompiledSpan {
    const key = `${start}/${end}`;
    let span = this.compiled.get(key);
    if (!span) {
      span = compileSpan(this.span(start, end));
      this.compiled.set(key, span);
    }
    return span;
  }

  /** `compiledSpan` of a period object shared by many cadres (an annual target's): found by the object. */
  compiledPeriod(period: { start: string; end: string }): CompiledSpan {
    let span = this.periods.get(period);
    if (!span) this.periods.set(period, (span = this.compiledSpan(period.start, period.end)));
    return span;
  }

  /** The days of a month `YYYY-MM` ready for counting. */
  compiledMonth(month: string): CompiledSpan {
    let span = this.compiled.get(month);
    if (!span) {
      const days = this.month(month);
      span = this.compiledSpan(days[0]!.date, days[days.length - 1]!.date);
      this.compiled.set(month, span);
    }
    return span;
  }

  /** Which days of `span` count for `term` (1) and which do not (0); shared by every cadre with the term. */
  termMask(span: CompiledSpan, term: Term): Uint8Array {
    let byTerm = this.masks.get(span);
    if (!byTerm) this.masks.set(span, (byTerm = new Map()));
    const key = termKey(term);
    let mask = byTerm.get(key);
    if (!mask) {
      mask = termMask(span, term);
      byTerm.set(key, mask);
    }
    return mask;
  }

  /** `monthlyTarget` under the cache's calendar and policy; `excusedDates` and `excusedHalfDates` in date order. */
  monthlyTarget(
    month: string,
    term: Term,
    excusedDates: readonly string[],
    excusedHalfDates: readonly string[] = [],
  ): MonthlyTarget {
    // Without excused leave (nearly every cadre), by month and term: no key to build per cadre.
    if (!excusedDates.length && !excusedHalfDates.length) {
      let byTerm = this.plainMonthly.get(month);
      if (!byTerm) this.plainMonthly.set(month, (byTerm = new Map()));
      const key = termKey(term);
      let target = byTerm.get(key);
      if (!target) {
        const { calendar, policy } = this;
        target = monthlyTarget({ month, term, excusedDates, excusedHalfDates, calendar, policy });
        byTerm.set(key, target);
      }
      return target;
    }
    const key = `${month}/${termKey(term)}/${excusedDates.join(',')}/${excusedHalfDates.join(',')}`;
    let target = this.monthly.get(key);
    if (!target) {
      const { calendar, policy } = this;
      target = monthlyTarget({ month, term, excusedDates, excusedHalfDates, calendar, policy });
      this.monthly.set(key, target);
    }
    return target;
  }

  /** `annualTarget` of the period containing `at`, under the cache's calendar and policy. */
  annualTarget(term: Term, at: string): AnnualTarget {
    // By the term object first: a county's cadres share a few term objects, and no key is built per cadre.
    let byAt = this.annualByTerm.get(term);
    if (!byAt) this.annualByTerm.set(term, (byAt = new Map()));
    let target = byAt.get(at);
    if (!target) {
      const key = `${termKey(term)}/${at}`;
      target = this.annual.get(key);
      if (!target) {
        target = annualTarget({ term, at, calendar: this.calendar, policy: this.policy });
        this.annual.set(key, target);
      }
      byAt.set(at, target);
    }
    return target;
  }

  /**
   * `annualTarget` of the period containing `at` with `excusedDates`: distinct dates inside that period and
   * inside the term, so that the target depends only on how many there are (and is shared by that count).
   */
  annualTargetExcused(term: Term, at: string, excusedDates: readonly string[]): AnnualTarget {
    if (!excusedDates.length) return this.annualTarget(term, at);
    let byAt = this.excusedByTerm.get(term);
    if (!byAt) this.excusedByTerm.set(term, (byAt = new Map()));
    let byCount = byAt.get(at);
    if (!byCount) byAt.set(at, (byCount = []));
    let target: AnnualTarget | undefined = byCount[excusedDates.length];
    if (!target) {
      const key = `${termKey(term)}/${at}/${excusedDates.length}`;
      target = this.annualExcused.get(key);
      if (!target) {
        target = annualTarget({ term, at, excusedDates, calendar: this.calendar, policy: this.policy });
        this.annualExcused.set(key, target);
      }
      byCount[excusedDates.length] = target;
    }
    return target;
  }
}

/** A term's dates and spans as one cache key (made once per term object: a county's figures ask it often). */
export function termKey(term: Term): string {
  let key = termKeys.get(term);
  if (key === undefined) {
    key = `${term.start}/${term.end}${term.spans ? `/${term.spans.map((s) => `${s.start}~${s.end}`).join(',')}` : ''}`;
    termKeys.set(term, key);
  }
  return key;
}

// Terms are not changed once made (the figures only read them).
const termKeys = new WeakMap<Term, string>();
