-- The README says exactly what `make deps` installs, and why: its table of
-- packages holds every package of the Makefile's DEBIAN_PACKAGES, and no
-- other.

local read = require("spec.helper.files").read

describe("README's package table", function()
  it("lists what make deps installs", function()
    local p = assert(io.popen("env -u MAKEFLAGS -u MAKELEVEL make -s print-deps"))
    local out = p:read("*a")
    p:close()
    local want = {}
    for pkg in out:gmatch("%S+") do want[#want + 1] = pkg end
    table.sort(want)
    assert.is_true(#want > 10)
    local readme = read("README.md")
    local tbl = readme:match("| packages | why |\n(.-)\n\n")
    assert.truthy(tbl, "the README has a table of packages")
    local shown = {}
    for row in tbl:gmatch("[^\n]+") do
      local first = row:match("^| ([^|]*) |") or ""
      for pkg in first:gmatch("`([^`]+)`") do shown[#shown + 1] = pkg end
    end
    table.sort(shown)
    assert.same(want, shown)
  end)
end)
