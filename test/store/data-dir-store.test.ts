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

// The deferred view (what the handling of a platform update writes through): the same contract,
// and once flushed the directory holds the same.
storeContract('embedded store with a data directory, deferred view', async () => {
  const temp = tempDir();
  const data = await openDataDir(temp.dir);
  return {
    store: data.store.deferred(),
    cleanup: async () => {
      try {
        await data.store.flush();
        const reopened = await expectSameAfterReopen(data);
        await reopened.close();
      } finally {
        temp.remove();
      }
    },
  };
});
