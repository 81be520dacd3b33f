import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE, databaseNameIn, redactUri } from '../../src/store/mongo/connection-uri.js';

describe('databaseNameIn', () => {
  it.each([
    ['mongodb://db.example:27017/support', 'support'],
    ['mongodb://db.example/support?replicaSet=rs0', 'support'],
    ['mongodb+srv://user:p%40ss@cluster.example.net/app?retryWrites=true', 'app'],
    ['mongodb://a:1,b:2,c:3/multi', 'multi'],
    ['mongodb://user:pw@host/my%20db', 'my db'],
  ])('reads the database of %s', (uri, name) => {
    expect(databaseNameIn(uri)).toBe(name);
  });

  it.each([
    'mongodb://db.example:27017',
    'mongodb://db.example:27017/',
    'mongodb://db.example/?replicaSet=rs0',
    'mongodb+srv://user:pw@cluster.example.net/?authSource=admin',
    'mongodb://user:pw@a:1,b:2',
  ])('finds no database in %s', (uri) => {
    expect(databaseNameIn(uri)).toBeUndefined();
  });

  it('uses switchboard as the default database', () => {
    expect(DEFAULT_DATABASE).toBe('switchboard');
  });
});

describe('redactUri', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUri('mongodb://app:s3cr%2Ft@db.example:27017/support')).toBe('mongodb://app:****@db.example:27017/support');
    expect(redactUri('mongodb+srv://app:pw@cluster.example.net/')).toBe('mongodb+srv://app:****@cluster.example.net/');
    expect(redactUri('mongodb://db.example:27017/support')).toBe('mongodb://db.example:27017/support');
    expect(redactUri('mongodb://app:p@ss/w@rd@db.example/support')).toBe('mongodb://app:****@db.example/support');
    expect(redactUri('mongodb://app@db.example/support')).toBe('mongodb://app@db.example/support');
  });
});
