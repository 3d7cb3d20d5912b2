-- A real host: lighttpd (Debian's lighttpd + lighttpd-modules-lua) runs
-- examples/lighttpd/query.lua under mod_magnet, in its own Lua 5.4 state
-- that requires siqun (siqun/core.so and LPeg from disk), on a free
-- loopback port; curl sends good and bad requests; the server is stopped.

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"

local function run(cmd)
  local p = assert(V.popen(cmd .. " 2>&1"))
  local out = p:read("*a")
  local ok, _, code = p:close()
  return ok == true, out, code
end

local function sh_quote(s)
  return "'" .. s:gsub("'", [['\'']]) .. "'"
end

local read = require("spec.helper.files").read_optional

local function sleep(s) run("sleep " .. s) end

-- ------------------------------------------------- a small JSON reader
-- (enough for the answers: objects, arrays, strings with escapes, numbers,
-- true/false/null); raises on anything that is not JSON.
local function json_decode(s)
  local pos = 1
  local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local function fail(what) error(("bad JSON at %d: %s in %s"):format(pos, what, s), 0) end
  local value
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = s:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1; break end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f",
                         n = "\n", r = "\r", t = "\t" }
        if simple[e] then
          out[#out + 1] = simple[e]
          pos = pos + 2
        elseif e == "u" then
          local h = s:match("^%x%x%x%x", pos + 2) or fail("bad \\u escape")
          out[#out + 1] = utf8.char(tonumber(h, 16))
          pos = pos + 6
        else
          fail("bad escape")
        end
      elseif c:byte() < 32 then
        fail("control character in string")
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
    return table.concat(out)
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then fail("key expected") end
        local k = str()
        ws()
        if s:sub(pos, pos) ~= ":" then fail("':' expected") end
        pos = pos + 1
        t[k] = value()
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
        if d ~= "," then fail("',' or '}' expected") end
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t[#t + 1] = value()
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
        if d ~= "," then fail("',' or ']' expected") end
      end
    elseif c == '"' then
      return str()
    else
      local lit = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if lit and lit ~= "" then
        pos = pos + #lit
        return compat.tointeger(tonumber(lit)) or tonumber(lit)
      end
      for _, word in ipairs({ "true", "false", "null" }) do
        if s:sub(pos, pos + #word - 1) == word then
          pos = pos + #word
          if word == "null" then return nil end
          return word == "true"
        end
      end
      fail("value expected")
    end
  end
  local v = value()
  ws()
  if pos <= #s then fail("trailing characters") end
  return v
end

-- ------------------------------------------------------------- server

local have = run("command -v lighttpd >/dev/null && command -v curl >/dev/null")
local server -- { pid =, port =, dir = }

local function url(path) return ("http://127.0.0.1:%d%s"):format(server.port, path) end

-- status, content type, decoded body (or the raw body when not JSON)
local function get(path, extra)
  local body = server.dir .. "/body"
  os.remove(body)
  local ok, out = run(("curl -s -o %s -w '%%{http_code} %%{content_type}' %s %s")
    :format(body, extra or "", sh_quote(url(path))))
  assert(ok, out)
  local code, ctype = out:match("^(%d+) (.*)$")
  local raw = read(body) or ""
  local okj, v = pcall(json_decode, raw)
  return tonumber(code), ctype, okj and v or raw, raw
end

local function alive(pid) return (run("kill -0 " .. pid)) end

local function start()
  local cwd = (select(2, run("pwd")):gsub("%s+$", ""))
  local _, dirout = run("mktemp -d")
  local dir = dirout:gsub("%s+$", "")
  local template = assert(read("examples/lighttpd/lighttpd.conf"))
  -- A free port: try random ones until lighttpd binds one.
  for _ = 1, 10 do
    local port = math.random(20000, 60000)
    local conf = template:gsub("@PORT@", tostring(port)):gsub("@DIR@", dir)
      :gsub("@SCRIPT@", cwd .. "/examples/lighttpd/query.lua")
    local f = assert(io.open(dir .. "/lighttpd.conf", "w"))
    f:write(conf)
    f:close()
    local env = ("SIQUN_LUA_PATH=%s SIQUN_LUA_CPATH=%s "):format(
      sh_quote(cwd .. "/lua/?.lua;" .. cwd .. "/lua/?/init.lua"), sh_quote(cwd .. "/build/?.so"))
    local ok, pid = run(env .. "lighttpd -D -f " .. dir .. "/lighttpd.conf >"
      .. dir .. "/server.log 2>&1 & echo $!")
    assert(ok, pid)
    pid = pid:match("%d+")
    -- Ready when it answers; gone when the port was taken (or worse).
    for _ = 1, 50 do
      if not alive(pid) then break end
      if run(("curl -s -o /dev/null http://127.0.0.1:%d/"):format(port)) then
        return { pid = pid, port = port, dir = dir }
      end
      sleep(0.1)
    end
    local log = (read(dir .. "/server.log") or "") .. (read(dir .. "/error.log") or "")
    if alive(pid) then run("kill " .. pid) end
    if not log:match("Address already in use") then
      return nil, log
    end
  end
  return nil, "no free port found"
end

local function stop()
  if not server then return end
  run("kill " .. server.pid)
  for _ = 1, 50 do
    if not alive(server.pid) then break end
    sleep(0.1)
  end
  if alive(server.pid) then run("kill -9 " .. server.pid) end
  run("rm -rf " .. server.dir)
  server = nil
end

describe("lighttpd mod_magnet serving siqun (examples/lighttpd)", function()
  local startup_error

  lazy_setup(function()
    if not have then return end
    local ok, out = run("make -s all")
    assert(ok, out)
    server, startup_error = start()
  end)

  lazy_teardown(stop)

  local function need_server()
    if not have then
      pending("lighttpd or curl not installed (make deps): skipped")
      return false
    end
    if not server and startup_error and startup_error:match("mod_magnet") then
      pending("lighttpd's mod_magnet is missing (lighttpd-modules-lua): " .. startup_error)
      return false
    end
    assert(server, "lighttpd did not start: " .. tostring(startup_error))
    return true
  end

  it("parses a quantity", function()
    if not need_server() then return end
    local code, ctype, v, _ = get("/quantity?q=%E8%BF%9150%E4%B8%87%E5%90%8D")  -- 近50万名
    assert.are.equal(200, code)
    assert.are.equal("application/json; charset=utf-8", ctype)
    assert.are.same({ kind = "number", value = 500000, unit = "名", qualifier = "nearly",
                      max = 500000, text = "近50万名" }, v)
    code, _, v = get("/quantity?q=420%E4%BD%99%E4%B8%87%E5%85%83")       -- 420余万元
    assert.are.equal(200, code)
    assert.are.equal(4200000, v.value)
    assert.are.equal("over", v.qualifier)
  end)

  it("answers 400 with a JSON error for a bad or missing quantity", function()
    if not need_server() then return end
    local code, ctype, v, _ = get("/quantity?q=abc")
    assert.are.equal(400, code)
    assert.are.equal("application/json; charset=utf-8", ctype)
    assert.matches("at character 1", v.error)
    code, _, v = get("/quantity")
    assert.are.equal(400, code)
    assert.matches("missing parameter q", v.error)
    code, _, v = get("/quantity?q=%E5%8D%81%E5%8D%81")                   -- 十十
    assert.are.equal(400, code)
    assert.are.equal("string", type(v.error))
  end)

  it("serves one figure by id, all figures, and 404 for an unknown one", function()
    if not need_server() then return end
    local code, _, f = get("/figures?id=linking_cadres")
    assert.are.equal(200, code)
    assert.are.equal("近50万名", f.text)
    assert.are.equal(500000, f.value)
    assert.are.same({ start = 2632, stop = 2637 }, f.span)
    local all
    code, _, all = get("/figures")
    assert.are.equal(200, code)
    assert.are.equal(#require("siqun.core").open():table("figures"), #all)
    assert.are.equal("study_books", all[1].id)
    local v
    code, _, v = get("/figures?id=no_such_figure")
    assert.are.equal(404, code)
    assert.matches("no_such_figure", v.error, 1, true)
    code, _, v = get("/figures?id=")
    assert.are.equal(400, code)
    assert.is_string(v.error)
  end)

  it("runs queries, and answers 400 with the query error for a bad one", function()
    if not need_server() then return end
    local q = "figures%20where%20value%20%3E%20100%E4%B8%87%20order%20by%20value%20desc%20limit%202"
    local code, _, v = get("/query?q=" .. q)          -- figures where value > 100万 order by value desc limit 2
    assert.are.equal(200, code)
    assert.are.equal(2, v.count)
    assert.are.equal("linking_funds", v.rows[1].id)
    assert.are.equal(3550000000, v.rows[1].value)
    code, _, v = get("/query?q=figures+group+by+unit+select+unit,+count()+order+by+count+desc,+unit")
    assert.are.equal(200, code)
    assert.is_true(v.count > 3)
    assert.is_string(v.rows[1].unit)
    assert.is_number(v.rows[1].count)
    code, _, v = get("/query?q=figures+where+vale+%3E+1")
    assert.are.equal(400, code)
    assert.matches("query error at 15: unknown field 'vale'", v.error, 1, true)
    code, _, v = get("/query")
    assert.are.equal(400, code)
    assert.matches("missing parameter q", v.error)
  end)

  it("answers 404 for other paths and 405 for other methods, in JSON", function()
    if not need_server() then return end
    local code, _, v = get("/nowhere")
    assert.are.equal(404, code)
    assert.is_string(v.error)
    code, _, v = get("/figures", "-X DELETE")
    assert.are.equal(405, code)
    assert.is_string(v.error)
  end)

  it("keeps answering after errors (one state, many requests)", function()
    if not need_server() then return end
    for _ = 1, 3 do
      assert.are.equal(400, (get("/quantity?q=abc")))
      assert.are.equal(200, (get("/quantity?q=1%2F5")))                  -- 1/5
    end
    local log = read(server.dir .. "/error.log") or ""
    assert.not_matches("mod_magnet.*lua:", log)
  end)

  it("stops", function()
    if not need_server() then return end
    local pid, port = server.pid, server.port
    stop()
    assert.is_false(alive(pid))
    assert.is_false((run(("curl -s -o /dev/null http://127.0.0.1:%d/"):format(port))))
  end)
end)
