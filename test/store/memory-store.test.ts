import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { storeContract } from '../contract/store-contract.js';

storeContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
