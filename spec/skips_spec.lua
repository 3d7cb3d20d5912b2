-- make test's filter (spec/skips.lua): the specs that skipped are listed,
-- with their reasons, just before prove's summary, and prove's status is
-- kept.

local files = require "spec.helper.files"
teardown(files.cleanup)

local function filter(input)
  local dir = files.tmpdir()
  files.write(dir .. "/in", input)
  local p = io.popen(("lua5.4 spec/skips.lua < %s/in; echo \"exit $?\""):format(dir))
  local out = p:read("*a")
  p:close()
  return out
end

describe("make test's last lines", function()
  it("list the skipped specs and why, before the summary", function()
    local out = filter(table.concat({
      "spec/a_spec.lua .. ",
      "ok 3 - # SKIP spec/a_spec.lua:18: source text not found at ../x.txt: skipped",
      "ok",
      "spec/b_spec.lua .. ok",
      "All tests successful.",
      "Files=2, Tests=9,  1 wallclock secs",
      "Result: PASS",
      "status 0", "" }, "\n"))
    assert.equal(table.concat({
      "spec/a_spec.lua .. ",
      "ok 3 - # SKIP spec/a_spec.lua:18: source text not found at ../x.txt: skipped",
      "ok",
      "spec/b_spec.lua .. ok",
      "1 spec skipped (not checked here):",
      "  spec/a_spec.lua:18: source text not found at ../x.txt: skipped",
      "All tests successful.",
      "Files=2, Tests=9,  1 wallclock secs",
      "Result: PASS",
      "exit 0", "" }, "\n"), out)
  end)

  it("say nothing more when nothing skipped, and keep a failing status", function()
    local out = filter("spec/a_spec.lua .. ok\nTest Summary Report\nResult: FAIL\nstatus 1\n")
    assert.equal("spec/a_spec.lua .. ok\nTest Summary Report\nResult: FAIL\nexit 1\n", out)
  end)
end)
