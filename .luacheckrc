-- luacheck configuration: Lua 5.4, no globals; busted's in spec/.
-- (`make lint` also passes --std lua54, which replaces `std` below, so the
-- busted globals are listed as read_globals rather than as a std.)
std = "lua54"
codes = true

files["spec/"] = {
  read_globals = {
    "describe", "context", "it", "spec", "test", "pending",
    "setup", "teardown", "lazy_setup", "lazy_teardown", "strict_setup", "strict_teardown",
    "before_each", "after_each", "finally", "insulate", "expose",
    "assert", "spy", "stub", "mock", "match",
  },
}

exclude_files = { "build/", "luarocks_tree/" }
