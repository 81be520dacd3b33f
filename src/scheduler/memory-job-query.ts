// Query semantics of the in-process Agenda backend, following what the MongoDB backend asks of
// MongoDB: equality on dotted paths, partial matching on `data`, null matching a missing field,
// and MongoDB's sort order (null before any value).
import type { JobParameters, JobsSort, RemoveJobsOptions, SortDirection } from 'agenda';

export type StoredJob = JobParameters & { _id: string };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** MongoDB equality: dates by instant, documents and arrays structurally, null equals missing. */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual == null || expected == null) return actual == null && expected == null;
  if (actual instanceof Date || expected instanceof Date) {
    return actual instanceof Date && expected instanceof Date && actual.getTime() === expected.getTime();
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && actual.every((v, i) => sameValue(v, expected[i]));
  }
  if (Array.isArray(actual)) return actual.some((item) => sameValue(item, expected));
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => sameValue(actual[k], expected[k]));
  }
  return actual === expected;
}

function valueAt(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const key of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Partial match on job data, as the MongoDB backend flattens `{a: 1, b: {c: 2}}` into
 * `{'data.a': 1, 'data.b.c': 2}`; a non-object filter compares the whole data value.
 */
export function matchesData(data: unknown, filter: unknown): boolean {
  if (!isPlainObject(filter)) return sameValue(data, filter);
  return Object.entries(filter).every(([key, expected]) => {
    const actual = isPlainObject(data) ? data[key] : undefined;
    return isPlainObject(expected) ? matchesData(actual, expected) : sameValue(actual, expected);
  });
}

/** A `unique()` constraint: field paths (`'data.userId'`) to expected values, or `{ $ne: value }`; no other operators. */
export function matchesUnique(job: StoredJob, unique: Record<string, unknown>): boolean {
  return Object.entries(unique).every(([path, expected]) => {
    const operators = isPlainObject(expected) ? Object.keys(expected).filter((k) => k.startsWith('$')) : [];
    if (operators.length === 1 && operators[0] === '$ne' && Object.keys(expected as object).length === 1) {
      return !sameValue(valueAt(job, path), (expected as { $ne: unknown }).$ne);
    }
    if (path.startsWith('$') || operators.length > 0) {
      throw new Error(`query operators other than $ne are not supported in unique() by the in-process backend (${path})`);
    }
    return sameValue(valueAt(job, path), expected);
  });
}

/** The selection of `removeJobs`, `disableJobs` and `enableJobs`; null when it names nothing. */
export function selectionFilter(options: RemoveJobsOptions): ((job: StoredJob) => boolean) | null {
  const tests: ((job: StoredJob) => boolean)[] = [];
  if (options.id) {
    const id = String(options.id);
    tests.push((job) => job._id === id);
  } else if (Array.isArray(options.ids) && options.ids.length > 0) {
    const ids = new Set(options.ids.map(String));
    tests.push((job) => ids.has(job._id));
  }
  const names = (list: unknown[] | undefined) => (list ?? []).filter((n): n is string => typeof n === 'string');
  if (options.name && typeof options.name === 'string') {
    const name = options.name;
    tests.push((job) => job.name === name);
  } else if (names(options.names).length > 0) {
    const set = new Set(names(options.names));
    tests.push((job) => set.has(job.name));
  } else if (names(options.notNames).length > 0) {
    const set = new Set(names(options.notNames));
    tests.push((job) => !set.has(job.name));
  }
  if (options.data !== undefined) {
    const filter = options.data;
    tests.push((job) => matchesData(job.data, filter));
  }
  if (tests.length === 0) return null;
  return (job) => tests.every((test) => test(job));
}

export function fieldOf(job: StoredJob, field: string): unknown {
  return (job as unknown as Record<string, unknown>)[field];
}

function compareValues(a: unknown, b: unknown): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
  const left = a instanceof Date ? a.getTime() : a;
  const right = b instanceof Date ? b.getTime() : b;
  if (typeof left !== typeof right || typeof left === 'object') return 0;
  return (left as number | string) < (right as number | string) ? -1 : (left as number | string) > (right as number | string) ? 1 : 0;
}

/** Comparator for a sort specification such as `{nextRunAt: 'asc', priority: 'desc'}`. */
export function byFields(sort: Partial<Record<string, SortDirection>> | JobsSort) {
  const fields = Object.entries(sort).filter((entry): entry is [string, SortDirection] => entry[1] !== undefined);
  return (a: StoredJob, b: StoredJob): number => {
    for (const [field, direction] of fields) {
      const order = compareValues(fieldOf(a, field), fieldOf(b, field));
      if (order !== 0) return direction === 'asc' ? order : -order;
    }
    return 0;
  };
}
