// The embedded store with a data directory: the same contract as every store, and after every
// contract case the directory, opened again, holds exactly what the store held.
import { openDataDir } from '../../src/store/embedded/data-dir.js';
import { storeContract } from '../contract/store-contract.js';
import { expectSameAfterReopen, tempDir } from './data-dir-support.js';

storeContract('embedded store with a data directory', async () => {
  const temp = tempDir();
  const data = await openDataDir(temp.dir);
  return {
    store: data.store,
    cleanup: async () => {
      try {
        const reopened = await expectSameAfterReopen(data);
        await reopened.close();
      } finally {
        temp.remove();
      }
    },
  };
});
