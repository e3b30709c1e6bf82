import fs from 'fs';
import * as path from 'path';
import { openFileStore, StoreClosedError } from '../../../devserver/store';
import { cleanupTmpDirs, tmpDir } from './helpers';

afterAll(cleanupTmpDirs);

describe('write failure', () => {
  it('stops accepting appends after a failed fsync (fail-stop, no retry)', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    await s.append(1, Buffer.from('durable'));

    // The next fdatasync fails as a dying disk would.
    const spy = jest.spyOn(fs, 'fdatasyncSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });
    try {
      const failed = s.append(1, Buffer.from('not acknowledged'));
      await expect(failed).rejects.toBeInstanceOf(StoreClosedError);
      await expect(failed).rejects.toThrow(/EIO/);
      await expect(s.append(1, Buffer.from('later'))).rejects.toBeInstanceOf(StoreClosedError);
      await expect(s.close()).rejects.toBeInstanceOf(StoreClosedError);
    } finally {
      spy.mockRestore();
    }

    const again = await openFileStore(file);
    expect(again.recovered[0].data.toString()).toBe('durable');
    expect(again.recovered.map((r) => r.data.toString())).not.toContain('later');
    await again.close();
  });
});
