// Public entry of the MongoDB store: the composition root imports from here only.
export { connectMongoStore, MongoStore, type MongoStoreOptions } from './mongo-store.js';
