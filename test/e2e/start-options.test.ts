/** `trajectory start` refuses options that cannot work before it starts anything. */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, runCli, tempDir } from './cli';

jest.setTimeout(60_000);

describe('trajectory start options', () => {
  let dir: string;

  beforeAll(() => {
    dir = tempDir('start-options');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a Web UI port that is the gRPC port too, before any engine runs (exit 2)', async () => {
    const dataDir = path.join(dir, 'data');
    const result = await runCli(['start', '--port', '17311', '--ui-port', '17311', '--data-dir', dataDir], cleanEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('trajectory: --ui-port 17311 is the gRPC port (--port) as well');
    expect(fs.existsSync(path.join(dataDir, 'engine.db'))).toBe(false);
  });
});
