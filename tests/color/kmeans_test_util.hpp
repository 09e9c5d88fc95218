// SPDX-License-Identifier: MIT
// Helpers shared by the k-means tests (test_kmeans.cpp, test_kmeans_accel.cpp).
#pragma once

#include <vecta/color/kmeans.hpp>

namespace color_test {

/// Bitwise-equal k-means results: centroids, labels, inertia, iteration count, convergence, dim.
template <class T>
bool same(const vecta::kmeans_result<T>& a, const vecta::kmeans_result<T>& b) {
    return a.centroids == b.centroids && a.labels == b.labels && a.inertia == b.inertia &&
           a.iterations == b.iterations && a.converged == b.converged && a.dim == b.dim;
}

}  // namespace color_test
