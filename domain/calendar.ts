/**
 * Calendar arithmetic in Europe/Amsterdam: calendar dates, calendar durations
 * (months clamp to the end of the month), instants ↔ Amsterdam wall-clock time,
 * and Dutch / ISO formatting. Pure and deterministic: nothing here reads the clock.
 */
export * from './calendar-date';
export * from './duration';
export * from './amsterdam-time';
export * from './dutch-format';
