/** The engine's own small logger: levelled lines on stderr, text or JSON. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(level: Level, format: 'json' | 'pretty'): Logger {
  const write = (l: Level, msg: string) => {
    if (ORDER[l] < ORDER[level]) return;
    const time = new Date().toISOString();
    process.stderr.write(format === 'json' ? JSON.stringify({ time, level: l, msg }) + '\n' : `${time} ${l.toUpperCase()} ${msg}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
