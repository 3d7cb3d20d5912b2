-- siqun.scan_file (issue 12): a file scanned in pieces gives exactly what
-- siqun.scan gives of its whole text -- the same quantities, with the same
-- absolute 1-based byte positions -- whatever the size of the pieces, down
-- to one byte; quantities across the ends of pieces are found whole, and
-- memory stays bounded.  Checked on random texts of our own making:
-- Chinese numerals and units, Arabic digits, long runs of both, qualifier
-- words, dates, ASCII noise, the breaks the reader cuts at, and bytes that
-- are no UTF-8.

local compat = require "siqun.compat"
local ipairs = compat.ipairs
local siqun = require "siqun"
local helper = require "spec.helper.files"
local V = require "spec.lua_version"

local function sh(cmd) return V.execute(cmd .. " >/dev/null 2>&1") end
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local INSTRUMENTED = os.getenv("SIQUN_SANITIZE") ~= nil
-- (memcheck runs the scanner fifty times slower: fewer rounds, a smaller
-- file; make asan runs them all)
local LIGHT = os.getenv("SIQUN_SANITIZE") == "valgrind"

-- Pieces of text: what makes quantities, what stops them, and noise.
local PIECES = {
  "一", "二", "三", "五", "九", "十", "百", "千", "万", "亿", "两", "零", "〇", "半", "第", "数",
  "几", "壹", "陆", "拾", "点", "0", "1", "2", "5", "7", "9", "12", "3.5", "07:34", "1,000",
  ".", ",", "%", "/", "-", "~", "～", "—", "至", "到", "个", "月", "日", "年", "号", "元",
  "万元", "人次", "份", "天", "成", "分之", "百分之", "余", "多", "约", "近", "不少于", "以上",
  "左右", "以内", "的", "是", "在", "村", "民", "会", "户", "。", "，", "、", "；", "！", "？",
  "：", "\n", " ", "\t", "\r\n", "a", "e", "E", "km", "kg", "Z", "\0", "\127", "(", ")",
  "\255", "\228\184", "\128",
}

local function random_text(rand, n)
  local t = {}
  for i = 1, n do
    local r = rand()
    if r < 0.04 then
      t[i] = ("%d"):format(rand(0, 9)):rep(rand(1, 80)) -- a long run of digits
    elseif r < 0.07 then
      t[i] = ("三"):rep(rand(1, 40))
    else
      t[i] = PIECES[rand(#PIECES)]
    end
  end
  return table.concat(t)
end

-- Every field of every quantity, as text, in order.
local function fields(x)
  local t = x:totable()
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "table" then
      v = ("%s/%s/%s"):format(tostring(v.year), tostring(v.month), tostring(v.day))
    end
    out[#out + 1] = k .. "=" .. tostring(v)
  end
  return table.concat(out, " ")
end

local function all(it)
  local out = {}
  for x in it do out[#out + 1] = x end
  return out
end

-- scan_file(path, opts) must give what scan(text) gives.
local function check(path, text, opts, what)
  local want = all(siqun.scan(text))
  local got = all(assert(siqun.scan_file(path, opts)))
  assert.equal(#want, #got, what)
  for i = 1, #want do
    assert.equal(fields(want[i]), fields(got[i]), what)
    assert.is_true(want[i] == got[i], what)
    assert.equal(text:sub(got[i].start, got[i].stop), got[i].text, what)
  end
  return #want
end

teardown(helper.cleanup)

describe("siqun.scan_file", function()
  local dir
  before_each(function() dir = helper.tmpdir() end)

  it("gives what siqun.scan gives of the whole text, in pieces of any size", function()
    local seed = os.time()
    math.randomseed(seed)
    local rand = math.random
    local path = dir .. "/t.txt"
    local found = 0
    local rounds = LIGHT and 40 or 400
    for round = 1, rounds do
      local text = random_text(rand, rand(0, 300))
      helper.write(path, text)
      local chunk = ({ 1, 2, 3, 4, 5, 7, 11, 64, 1000 })[rand(9)]
      found = found + check(path, text, { chunk = chunk },
                            ("seed %d, round %d, chunk %d: %q"):format(seed, round, chunk, text))
    end
    assert.is_true(found > rounds * 2.5, "the random texts hold too few quantities: " .. found)
  end)

  it("finds quantities longer than the pieces, and texts without a break", function()
    local path = dir .. "/long.txt"
    local k = LIGHT and 20 or 1
    local cases = {
      ("9"):rep(200000 / k) .. "万元",
      "约" .. ("1"):rep(70000 / k) .. "至" .. ("2"):rep(70000 / k) .. "个以上",
      ("三个十万余元两千"):rep(2000 / k),
      "\n" .. ("12"):rep(30000 / k) .. "%。" .. ("五分之一"):rep(500 / k),
    }
    for i, text in ipairs(cases) do
      helper.write(path, text)
      for _, chunk in ipairs { math.floor(1000 / k), math.floor(4096 / k), math.floor(65536 / k) } do
        check(path, text, { chunk = chunk }, ("case %d, chunk %d"):format(i, chunk))
      end
    end
    helper.write(path, "")
    assert.same({}, all(assert(siqun.scan_file(path))))
  end)

  it("reads an open file handle, and standard input", function()
    local path = dir .. "/h.txt"
    local text = "共发放材料54.29万本，约3000人次参加\n近三成 1/5 2011年12月"
    helper.write(path, text)
    local f = assert(io.open(path, "rb"))
    local got = all(assert(siqun.scan_file(f, { chunk = 3 })))
    assert.equal(#all(siqun.scan(text)), #got)
    assert.equal("54.29万本", got[1].text)
    assert.equal(io.type(f), "file") -- a handle given is left open
    f:close()
    local ENV = V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;")
    local p = assert(V.popen(("%s %s -e %s < %s"):format(ENV, V.lua, q(
      "for x in require('siqun').scan_file(io.stdin, { chunk = 2 }) do "
      .. "io.write(x.start, ' ', x.text, '|') end"), q(path))))
    local out = p:read("*a")
    p:close()
    local want = {}
    for x in siqun.scan(text) do want[#want + 1] = x.start .. " " .. x.text .. "|" end
    assert.equal(table.concat(want), out)
  end)

  it("refuses at once what is not a regular file", function()
    assert(sh("mkfifo " .. q(dir .. "/fifo")))
    for _, c in ipairs { { "/dev/zero", "is a character device" },
                         { dir .. "/fifo", "is a FIFO" }, { dir, "is a directory" } } do
      assert.same({ nil, c[1] .. ": " .. c[2] .. " (only regular files are read)", "notregular" },
                  { siqun.scan_file(c[1]) })
    end
    assert.same({ nil, dir .. "/none: No such file or directory", "ENOENT" },
                { siqun.scan_file(dir .. "/none") })
  end)

  it("rests on siqun.scan's offset, added to every position", function()
    local a = all(siqun.scan("共3个，约2万份"))
    local b = all(siqun.scan("共3个，约2万份", 1, 100))
    assert.equal(2, #b)
    for i = 1, 2 do
      assert.equal(a[i].start + 100, b[i].start)
      assert.equal(a[i].stop + 100, b[i].stop)
      assert.equal(a[i].text, b[i].text)
    end
    assert.equal(104, all(siqun.scan("共3个，约2万份", 4, 100))[1].start)
    local ok, err = pcall(siqun.scan, "3个", 1, -1)
    assert.is_false(ok)
    assert.matches("bad argument #3 to '", err, 1, true) -- (named as each Lua names it)
    assert.matches("(non-negative integer expected)", err, 1, true)
  end)

  it("names what it refuses as arguments", function()
    helper.write(dir .. "/a.txt", "3个")
    for _, c in ipairs {
      { { 42 }, "bad argument #1 to 'scan_file' (string or file expected, got number)" },
      { { "" }, "bad argument #1 to 'scan_file' (path expected, got an empty string)" },
      { { dir .. "/a.txt", 5 }, "bad argument #2 to 'scan_file' (table expected, got number)" },
      { { dir .. "/a.txt", { chunk = 0 } },
        "bad option 'chunk' to 'scan_file' (positive integer expected, got 0)" },
      { { dir .. "/a.txt", { chunk = 1.5 } },
        "bad option 'chunk' to 'scan_file' (positive integer expected, got 1.5)" },
    } do
      local ok, err = pcall(siqun.scan_file, compat.unpack(c[1], 1, 2))
      assert.is_false(ok)
      assert.equal(c[2], (err:gsub("^[^:]*:%d+: ", "")))
    end
    local f = assert(io.open(dir .. "/a.txt"))
    f:close()
    local ok, err = pcall(siqun.scan_file, f)
    assert.is_false(ok)
    assert.matches("string or file expected, got closed file", err, 1, true)
  end)

  it("reads a large file in bounded memory", function()
    -- 48 MB of NUL bytes (a sparse file: nothing on disk), then a quantity
    local path, mb = dir .. "/sparse.txt", LIGHT and 4 or 48
    assert(sh(("truncate -s %dM %s"):format(mb, q(path))))
    local f = assert(io.open(path, "ab"))
    f:write("共3个")
    f:close()
    collectgarbage()
    collectgarbage()
    helper.reset_peak()
    local before = helper.peak_kb()
    local got = all(assert(siqun.scan_file(path)))
    local after = helper.peak_kb()
    assert.equal(1, #got)
    assert.equal(mb * 1048576 + 4, got[1].start)
    assert.equal("3个", got[1].text)
    if before and after and not INSTRUMENTED then
      assert.is_true(after - before < 16384, ("peak memory grew by %d kB"):format(after - before))
    end
  end)
end)
