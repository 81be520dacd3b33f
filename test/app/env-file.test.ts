import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MainProcess } from '../support/run-main.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('.env (read by Node itself; no dotenv package)', () => {
  let main: MainProcess | undefined;
  afterEach(async () => main?.stop());

  it('npm start reads .env in its directory, and a variable set in the environment wins over it', { timeout: 60_000 }, async () => {
    const token = 'token-from-dot-env-0123456789';
    const port = await freePort();
    main = new MainProcess(
      { PORT: String(port), DATA_DIR: ':memory:' },
      { '.env': `# settings\nADMIN_TOKEN=${token}\nDATA_DIR=./from-dot-env\nLOG_LEVEL=info\n` },
    );
    await main.line(/switchboard listening on port \d+/);
    expect(main.messages().some((m) => m.startsWith('store: in memory (DATA_DIR=:memory:)'))).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/api/agents`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});
