-- Article:attach(path) (issue 12): the file is checked before it is read.
-- It must be a regular file (a FIFO, /dev/zero or a directory is refused at
-- once, without blocking), and no larger than the article can be: the
-- dataset records the source's size after a BOM is removed and CRLF turned
-- into LF, so the file may have at most a BOM and one CR per byte more
-- (2 * bytes + 3); a larger one is refused without being read.  Uses the
-- fixture dataset and its source (spec/fixtures/), so it needs no copy of
-- the article.

local siqun = require "siqun"
local helper = require "spec.helper.files"
local V = require "spec.lua_version"

local SOURCE = "spec/fixtures/source.txt"

local function sh(cmd) return V.execute(cmd .. " >/dev/null 2>&1") end
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

teardown(helper.cleanup)

describe("Article:attach", function()
  local dir
  before_each(function() dir = helper.tmpdir() end)

  it("refuses a 2 GB file without reading it", function()
    local art = assert(siqun.open())
    local bytes = art:source_info().bytes
    local path = dir .. "/huge.txt"
    assert(sh("truncate -s 2G " .. q(path)), "truncate(1) failed")
    collectgarbage()
    helper.reset_peak()
    local before = helper.peak_kb()
    local ok, msg, code = art:attach(path)
    local after = helper.peak_kb()
    assert.is_nil(ok)
    assert.equal(("%s: 2147483648 bytes, more than the %d expected (the article has %d bytes "
                  .. "once a BOM is removed and CRLF turned into LF)"):format(path, 2 * bytes + 3, bytes),
                 msg)
    assert.equal("toolarge", code)
    assert.is_false(art:attached())
    if before and after then
      assert.is_true(after - before < 16384, ("peak memory grew by %d kB"):format(after - before))
    end
  end)

  it("allows exactly a BOM and one CR per byte more than the source", function()
    local art = assert(siqun.open("spec/fixtures/valid"))
    local bytes = art:source_info().bytes
    local text = helper.read(SOURCE)
    assert.equal(bytes, #text)
    -- the most a file of this source can be: read, and its hash checked
    local path = dir .. "/max.txt"
    helper.write(path, ("x"):rep(2 * bytes + 3))
    local ok, err = pcall(art.attach, art, path)
    assert.is_false(ok)
    assert.matches("SHA-256 mismatch", err, 1, true)
    -- one byte more: refused unread
    helper.write(path, ("x"):rep(2 * bytes + 4))
    assert.same({ nil, ("%s: %d bytes, more than the %d expected (the article has %d bytes once "
                        .. "a BOM is removed and CRLF turned into LF)"):format(path, 2 * bytes + 4,
                                                                             2 * bytes + 3, bytes),
                  "toolarge" }, { art:attach(path) })
    -- the real source with a BOM and CRLF line ends, through a symbolic link
    helper.write(dir .. "/crlf.txt", "\239\187\191" .. text:gsub("\n", "\r\n"))
    assert(sh(("ln -s crlf.txt %s"):format(q(dir .. "/link.txt"))))
    assert.is_true(art:attach(dir .. "/link.txt"))
    assert.equal(text:sub(1, 12), art:slice(0, 4))
  end)

  it("refuses at once what is not a regular file", function()
    local art = assert(siqun.open())
    assert(sh("mkfifo " .. q(dir .. "/fifo")))
    for _, c in ipairs { { "/dev/zero", "is a character device" },
                         { dir .. "/fifo", "is a FIFO" },
                         { dir, "is a directory" } } do
      assert.same({ nil, c[1] .. ": " .. c[2] .. " (only regular files are read)", "notregular" },
                  { art:attach(c[1]) })
    end
    assert.same({ nil, dir .. "/none: No such file or directory", "ENOENT" },
                { art:attach(dir .. "/none") })
    assert.is_false(art:attached())
  end)
end)
