/**
 * Isolation Forest (Liu, Ting and Zhou, 2008), with the conventions of
 * scikit-learn's `IsolationForest` so that scores, thresholds and labels can be
 * compared with it one to one:
 *
 * - each tree is grown on `min(sampleSize, n)` points drawn without replacement;
 * - a node splits on a feature drawn at random among those not constant in the
 *   node, at a threshold drawn uniformly between the feature's min and max there;
 * - trees stop at depth ceil(log2(sampleSize)) or at a single (or all-equal) point;
 * - a point's path length is its leaf depth plus c(points in the leaf), where
 *   c(n) = 2H(n-1) - 2(n-1)/n is the average path length of an unsuccessful BST search;
 * - `scoreSamples` is -2^(-E[path] / c(sampleSize)) (lower is more abnormal),
 *   `offset` the `contamination` percentile of the training scores,
 *   `decisionFunction` = score - offset, and points with a negative decision are outliers.
 *
 * This module is also the detector program's model (it is shipped in a
 * ConfigMap and run by plain Node.js): it must not import anything.
 */

const EULER_GAMMA = 0.5772156649015329;

/** A deterministic pseudo-random generator (mulberry32): same seed, same forest. */
/* eslint-disable no-bitwise -- mulberry32 is defined by 32-bit integer arithmetic */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

/** c(n): the average path length of an unsuccessful search in a BST of n points. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** numpy's default (linear) percentile of values, q in [0, 100]. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const rank = (q / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export interface IsolationForestOptions {
  /** Number of trees. Default 100. */
  readonly trees?: number;
  /** Points per tree (capped at the number of training points). Default 256. */
  readonly sampleSize?: number;
  /** Expected share of outliers in the training data, in (0, 0.5]. Default 0.1. */
  readonly contamination?: number;
  /** Seed of the random generator. Default 1. */
  readonly seed?: number;
}

/**
 * One isolation tree, stored flat: node i splits on `feature[i]` at
 * `threshold[i]` into `left[i]`/`right[i]`; a leaf (feature -1) holds its
 * path length (depth + c(points in the leaf)) in `threshold[i]`.
 */
interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
}

export class IsolationForest {
  private readonly treeCount: number;
  private readonly maxSamples: number;
  private readonly contamination: number;
  private readonly random: () => number;
  private trees: Tree[] = [];
  private normalizer = 1;
  /** The decision threshold: scores below it are outliers (sklearn's `offset_`). */
  public offset = -0.5;

  constructor(options: IsolationForestOptions = {}) {
    this.treeCount = options.trees ?? 100;
    this.maxSamples = options.sampleSize ?? 256;
    this.contamination = options.contamination ?? 0.1;
    this.random = createRandom(options.seed ?? 1);
  }

  /** Grows the forest on `rows` (points × features) and sets `offset`. */
  public fit(rows: ReadonlyArray<ArrayLike<number>>): this {
    if (rows.length === 0) throw new Error('IsolationForest.fit: no training points');
    const psi = Math.min(this.maxSamples, rows.length);
    const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
    this.normalizer = averagePathLength(psi);
    this.trees = [];
    for (let t = 0; t < this.treeCount; t++) {
      this.trees.push(this.growTree(rows, this.sample(rows.length, psi), maxDepth));
    }
    this.offset = percentile(this.scoreSamples(rows), 100 * this.contamination);
    return this;
  }

  /** sklearn's `score_samples`: -2^(-E[path length] / c(psi)), in [-1, 0); lower is more abnormal. */
  public scoreSamples(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    const scores = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let total = 0;
      for (const tree of this.trees) total += pathLength(tree, rows[i]);
      scores[i] = -Math.pow(2, -total / this.trees.length / this.normalizer);
    }
    return scores;
  }

  /** score - offset: negative for outliers. */
  public decisionFunction(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    return this.scoreSamples(rows).map((s) => s - this.offset);
  }

  /** 1 for inliers, -1 for outliers, as sklearn's `predict`. */
  public predict(rows: ReadonlyArray<ArrayLike<number>>): Int8Array {
    return Int8Array.from(this.decisionFunction(rows), (d) => (d < 0 ? -1 : 1));
  }

  /** `count` distinct indices out of `n` (partial Fisher-Yates). */
  private sample(n: number, count: number): Int32Array {
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.random() * (n - i));
      const swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    return indices.subarray(0, count);
  }

  private growTree(rows: ReadonlyArray<ArrayLike<number>>, indices: Int32Array, maxDepth: number): Tree {
    // A binary tree over n points has at most 2n - 1 nodes.
    const capacity = 2 * indices.length - 1;
    const tree: Tree = {
      feature: new Int32Array(capacity).fill(-1),
      threshold: new Float64Array(capacity),
      left: new Int32Array(capacity),
      right: new Int32Array(capacity),
    };
    const dimensions = rows[indices[0]].length;
    let nodes = 0;
    const grow = (members: Int32Array, depth: number): number => {
      const node = nodes++;
      const split = depth < maxDepth && members.length > 1 ? this.chooseSplit(rows, members, dimensions) : undefined;
      if (!split) {
        tree.threshold[node] = depth + averagePathLength(members.length);
        return node;
      }
      const below = members.filter((i) => rows[i][split.feature] < split.threshold);
      const above = members.filter((i) => rows[i][split.feature] >= split.threshold);
      tree.feature[node] = split.feature;
      tree.threshold[node] = split.threshold;
      tree.left[node] = grow(below, depth + 1);
      tree.right[node] = grow(above, depth + 1);
      return node;
    };
    grow(indices, 0);
    return tree;
  }

  /** A random feature that varies in the node and a uniform threshold within its range; none if all points are equal. */
  private chooseSplit(rows: ReadonlyArray<ArrayLike<number>>, members: Int32Array, dimensions: number) {
    const candidates: Array<{ feature: number; min: number; max: number }> = [];
    for (let feature = 0; feature < dimensions; feature++) {
      let min = Infinity;
      let max = -Infinity;
      for (const i of members) {
        const v = rows[i][feature];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) candidates.push({ feature, min, max });
    }
    if (candidates.length === 0) return undefined;
    const { feature, min, max } = candidates[Math.floor(this.random() * candidates.length)];
    // A threshold equal to min would send every point right; redraw until it separates.
    let threshold = min;
    while (threshold <= min) threshold = min + this.random() * (max - min);
    return { feature, threshold };
  }
}

function pathLength(tree: Tree, point: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = point[tree.feature[node]] < tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return tree.threshold[node];
}
