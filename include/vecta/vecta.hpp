// vecta/vecta.hpp - the whole library except the optional adapters (vecta/adapters/*).
#pragma once

#include "core.hpp"

#include "color/kmeans.hpp"
#include "color/lab.hpp"
#include "color/quantize.hpp"

#include "imgproc/border.hpp"
#include "imgproc/canny.hpp"
#include "imgproc/gaussian_blur.hpp"
#include "imgproc/gray.hpp"
#include "imgproc/sobel.hpp"

#include "geometry/bezier_fit.hpp"
#include "geometry/douglas_peucker.hpp"
#include "geometry/find_contours.hpp"
#include "geometry/trace_regions.hpp"

#include "svg/document.hpp"
#include "svg/path_builder.hpp"

#include "io/image_file.hpp"

#include "vectorize.hpp"
