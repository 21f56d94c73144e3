// sift is published as CommonJS (which Node loads) and as an ES module (which the Temporal workflow bundler
// picks). Node cannot see the CommonJS named exports, so there they live on the default export; in the ES
// module they are the namespace itself. This resolves both to the same object, once.

import * as siftNamespace from 'sift';

/** The parts of sift Tend uses: the allowlisted operators and the two builders. */
export type Sift = Pick<
  typeof siftNamespace,
  | '$eq'
  | '$ne'
  | '$gt'
  | '$gte'
  | '$lt'
  | '$lte'
  | '$in'
  | '$nin'
  | '$exists'
  | '$size'
  | '$and'
  | '$or'
  | '$nor'
  | '$not'
  | 'createQueryTester'
  | 'createEqualsOperation'
>;

export const siftExports: Sift =
  typeof siftNamespace.createQueryTester === 'function' ? siftNamespace : siftNamespace.default;
