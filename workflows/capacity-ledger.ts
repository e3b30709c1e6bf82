/**
 * The places and the waiting list of one programme, as pure state: given the
 * date, never reading a clock, so the capacity workflow drives it
 * deterministically and it survives continue-as-new as a plain snapshot.
 *
 * The rule (Balanz: "10 places a year; when one gets a permanent job, another
 * can enter"): each calendar year (Europe/Amsterdam) has `placesPerYear`
 * places. A granted place counts against the year it was granted in until its
 * trajectory ends; a place freed in the same year goes to the next on the
 * waiting list. On 1 January the count starts again at zero, so the waiting
 * list moves on even while last year's participants are still on their
 * trajectory (their ending then frees no place in the new year).
 */
import type { CapacitySnapshot, PlaceHolder, PlaceRequest, WaitingEntry, WaitingListEntryView } from './capacity-api';

export type ParticipantStatus =
  | { readonly kind: 'holding'; readonly holder: PlaceHolder }
  | { readonly kind: 'waiting'; readonly position: number };

export class CapacityLedger {
  year: number;
  private readonly holders: PlaceHolder[];
  private readonly waiting: WaitingEntry[];
  granted: number;
  released: number;
  ignoredReleases: number;
  readonly runs: number;

  constructor(readonly placesPerYear: number, year: number, carried?: CapacitySnapshot) {
    this.year = carried?.year ?? year;
    this.holders = carried ? carried.holders.map((h) => ({ ...h })) : [];
    this.waiting = carried ? carried.waiting.map((w) => ({ ...w, request: { ...w.request } })) : [];
    this.granted = carried?.granted ?? 0;
    this.released = carried?.released ?? 0;
    this.ignoredReleases = carried?.ignoredReleases ?? 0;
    this.runs = carried?.runs ?? 0;
    this.rollTo(year);
  }

  /** Moves to a later calendar year: its places are all free again. True when the year changed. */
  rollTo(year: number): boolean {
    if (year <= this.year) return false;
    this.year = year;
    return true;
  }

  get placesUsed(): number {
    return this.holders.filter((h) => h.year === this.year).length;
  }

  get placesFree(): number {
    return Math.max(0, this.placesPerYear - this.placesUsed);
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Whether the next on the waiting list can start now. */
  get canStartNext(): boolean {
    return this.waiting.length > 0 && this.placesFree > 0;
  }

  statusOf(participantRef: string): ParticipantStatus | undefined {
    const holder = this.holders.find((h) => h.participantRef === participantRef);
    if (holder) return { kind: 'holding', holder };
    const index = this.waiting.findIndex((w) => w.request.participantRef === participantRef);
    return index >= 0 ? { kind: 'waiting', position: index + 1 } : undefined;
  }

  /** Takes one of this year's places (the caller checked `placesFree`). */
  take(participantRef: string, workflowId: string, today: string): PlaceHolder {
    if (this.placesFree <= 0) throw new Error(`no place free in ${this.year}`);
    const holder: PlaceHolder = { participantRef, workflowId, year: this.year, since: today };
    this.holders.push(holder);
    this.granted += 1;
    return holder;
  }

  /** Gives back a place whose trajectory could not be started. */
  untake(workflowId: string): void {
    const index = this.holders.findIndex((h) => h.workflowId === workflowId);
    if (index < 0) return;
    this.holders.splice(index, 1);
    this.granted -= 1;
  }

  /** Joins the end of the waiting list; returns the position (1 is next). */
  enqueue(request: PlaceRequest, today: string): number {
    this.waiting.push({ request: { ...request }, since: today });
    return this.waiting.length;
  }

  /** The next one on the waiting list, taken off it, when a place is free. */
  takeNextWaiting(): WaitingEntry | undefined {
    return this.canStartNext ? this.waiting.shift() : undefined;
  }

  /** Puts an entry back at the head of the list (its trajectory could not be started yet). */
  putBack(entry: WaitingEntry): void {
    this.waiting.unshift(entry);
  }

  /** The trajectory `workflowId` ended: its place is free. Undefined (and counted as ignored) when nobody held it. */
  release(workflowId: string | undefined): PlaceHolder | undefined {
    const index = this.holders.findIndex((h) => h.workflowId === workflowId);
    if (index < 0) {
      this.ignoredReleases += 1;
      return undefined;
    }
    const [holder] = this.holders.splice(index, 1);
    this.released += 1;
    return holder;
  }

  /** Takes a participant off the waiting list; false when not on it. */
  leave(participantRef: string): boolean {
    const index = this.waiting.findIndex((w) => w.request.participantRef === participantRef);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  holdersView(): PlaceHolder[] {
    return this.holders.map((h) => ({ ...h }));
  }

  waitingView(): WaitingListEntryView[] {
    return this.waiting.map((w, index) => ({ position: index + 1, participantRef: w.request.participantRef, since: w.since }));
  }

  /** What the next run starts from. */
  snapshot(): CapacitySnapshot {
    return {
      year: this.year,
      holders: this.holdersView(),
      waiting: this.waiting.map((w) => ({ ...w, request: { ...w.request } })),
      granted: this.granted,
      released: this.released,
      ignoredReleases: this.ignoredReleases,
      runs: this.runs + 1,
    };
  }
}
