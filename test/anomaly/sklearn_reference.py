"""Reference scores from scikit-learn's IsolationForest for the anomaly detector tests.

Generates synthetic data sets with known, injected outliers (fixed seeds), fits
sklearn.ensemble.IsolationForest(contamination=0.1) on each and prints, as JSON,
the data, which points are injected outliers, and sklearn's score_samples and
predict. test/anomaly/sklearn-comparison.test.ts runs our forest on the same data.

Run with Debian's interpreter (python3-sklearn): /usr/bin/python3 sklearn_reference.py
Its output is recorded in __verdicts__/sklearn-comparison.test.ts.json, which a
machine without scikit-learn replays; record it again with
npx projen verdicts test/anomaly/sklearn-comparison.test.ts
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest


def gaussian_blobs(rng):
    """Two 2-D Gaussian clusters, 10% uniform outliers around them."""
    inliers = np.vstack([rng.normal([0, 0], 0.8, (225, 2)), rng.normal([4, 4], 0.8, (225, 2))])
    outliers = rng.uniform(-6, 10, (50, 2))
    return inliers, outliers


def seasonal_with_spikes(rng):
    """A daily cycle (96 samples a day) with noise; 10% of the points get a spike.
    Features are the time of day (as sin/cos) and the value, so a spike is
    abnormal for its time of day, not only globally."""
    t = np.arange(1000)
    phase = 2 * np.pi * t / 96
    value = 10 + 5 * np.sin(phase) + rng.normal(0, 0.5, t.size)
    spikes = rng.choice(t.size, 100, replace=False)
    value[spikes] += rng.uniform(4, 10, spikes.size)
    X = np.column_stack([np.sin(phase), np.cos(phase), value])
    is_outlier = np.zeros(t.size, dtype=bool)
    is_outlier[spikes] = True
    return X[~is_outlier], X[is_outlier]


def correlated_4d(rng):
    """Correlated 4-D Gaussian traffic features; outliers from a 4x wider distribution."""
    cov = 0.6 * np.ones((4, 4)) + 0.4 * np.eye(4)
    inliers = rng.multivariate_normal(np.zeros(4), cov, 900)
    outliers = rng.multivariate_normal(np.zeros(4), 16 * np.eye(4), 100)
    return inliers, outliers


DATASETS = [('gaussian-blobs', gaussian_blobs), ('seasonal-spikes', seasonal_with_spikes), ('correlated-4d', correlated_4d)]


def main():
    out = {'sklearn': sklearn.__version__, 'datasets': []}
    for seed, (name, generate) in enumerate(DATASETS):
        rng = np.random.RandomState(42 + seed)
        inliers, outliers = generate(rng)
        X = np.vstack([inliers, outliers])
        is_outlier = np.concatenate([np.zeros(len(inliers), bool), np.ones(len(outliers), bool)])
        order = rng.permutation(len(X))
        # Six decimals: the recorded output (__verdicts__/) holds the exact data sklearn fitted.
        X, is_outlier = np.round(X[order], 6), is_outlier[order]
        forest = IsolationForest(contamination=0.1, random_state=seed).fit(X)
        out['datasets'].append({
            'name': name,
            'X': X.tolist(),
            'isOutlier': is_outlier.tolist(),
            'scores': np.round(forest.score_samples(X), 9).tolist(),
            'labels': forest.predict(X).tolist(),
            'offset': float(forest.offset_),
        })
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
