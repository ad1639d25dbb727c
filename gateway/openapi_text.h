// The OpenAPI document (gateway/openapi.yaml), compiled into the binary so
// GET /openapi.yaml needs no file at run time. Generated from
// openapi_text.cc.in by CMake whenever openapi.yaml changes.
#pragma once

#include <string_view>

namespace om::gateway {

std::string_view OpenApiYaml();

}  // namespace om::gateway
