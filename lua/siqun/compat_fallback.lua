-- siqun.compat_fallback: what siqun.compat takes from Lua 5.3 and 5.4
-- (math.type, math.tointeger, table.move/pack/unpack, package.searchpath,
-- load and loadfile with a mode, pairs honouring __pairs, ipairs honouring
-- __index, # honouring __len, utf8) made for Lua 5.1, 5.2 and LuaJIT,
-- loaded by siqun.compat only there.  Not meant to be required on its own:
-- it returns a function of siqun.compat's table M and of the globals G that
-- siqun.compat sees (what it takes from Lua comes from G), which fills M.

local type, select, tostring, rawget = type, select, tostring, rawget

return function(M, G)
  local floor = G.math.floor
  -- a host may omit the debug library
  local getmt = type(G.debug) == "table" and G.debug.getmetatable or G.getmetatable

  -- ----------------------------------------------------------- what works
  -- (siqun.compat sets all three on 5.3 and 5.4, where they hold)

  if not (M.table_len_meta and M.pairs_meta and M.index_ipairs) then
    --- True when # calls __len on tables (5.2+; LuaJIT with 5.2 compatibility).
    M.table_len_meta = #setmetatable({}, { __len = function() return 1 end }) == 1

    --- True when pairs calls __pairs (5.2+; LuaJIT with 5.2 compatibility).
    M.pairs_meta = false
    for _ in G.pairs(setmetatable({}, { __pairs = function()
      return function() M.pairs_meta = true; return nil end, nil, nil
    end })) do end -- luacheck: ignore 512 (the probe only calls the iterator)

    --- True when ipairs reads through __index (5.3+).
    M.index_ipairs = false
    for _ in G.ipairs(setmetatable({}, { __index = function(_, i) return i == 1 or nil end })) do
      M.index_ipairs = true
    end
  end

  -- ------------------------------------------------------------- numbers

  local MAXI = 9223372036854775808.0 -- 2^63

  local EXACT = 9007199254740992.0 -- 2^53

  M.math_type = G.math.type or function(x)
    if type(x) ~= "number" then return nil end
    if x == floor(x) and x > -EXACT and x < EXACT then return "integer" end
    return "float"
  end

  M.tointeger = G.math.tointeger or function(x)
    if type(x) == "string" then x = tonumber(x) end
    if type(x) == "number" and x == floor(x) and x >= -MAXI and x < MAXI then return x end
    return nil
  end

  -- ------------------------------------------------------------- tables

  M.unpack = G.table.unpack or G.unpack

  M.pack = G.table.pack or function(...)
    return { n = select("#", ...), ... }
  end

  M.move = G.table.move or function(a1, f, e, t, a2)
    a2 = a2 or a1
    if e >= f then
      if t <= f or t > e or a1 ~= a2 then
        for i = 0, e - f do a2[t + i] = a1[f + i] end
      else
        for i = e - f, 0, -1 do a2[t + i] = a1[f + i] end
      end
    end
    return a2
  end

  local function metafield(x, name)
    local mt = getmt(x)
    if type(mt) == "table" then return rawget(mt, name) end
    return nil
  end

  M.pairs = M.pairs_meta and G.pairs or function(x)
    local h = metafield(x, "__pairs")
    if h then
      local f, s, c = h(x)
      return f, s, c
    end
    return pairs(x)
  end

  local function index_inext(t, i)
    i = i + 1
    local v = t[i]
    if v ~= nil then return i, v end
    return nil
  end

  M.ipairs = M.index_ipairs and G.ipairs or function(x)
    return index_inext, x, 0
  end

  M.len = M.table_len_meta and function(x) return #x end or function(x)
    if type(x) == "table" then
      local h = metafield(x, "__len")
      if h then return h(x) end
    end
    return #x
  end

  -- ------------------------------------------------------------- proxies

  -- mt -> the userdata whose metatable (a copy of mt, made at the first
  -- proxy: mt must be complete by then) newproxy gives to each new proxy.
  local templates = setmetatable({}, { __mode = "k" })
  local newproxy_ = rawget(G, "newproxy")

  if M.table_len_meta or not newproxy_ then
    function M.proxy(mt) return setmetatable({}, mt) end
  else
    function M.proxy(mt)
      local t = templates[mt]
      if t == nil then
        t = newproxy_(true)
        local copy = getmetatable(t)
        for k, v in pairs(mt) do copy[k] = v end
        templates[mt] = t
      end
      return newproxy_(t)
    end
  end

  -- 5.1 and LuaJIT read a table raw in ipairs and #: the items go into the
  -- proxy itself (see siqun.compat).  (5.2, and a LuaJIT built with 5.2's
  -- metamethods, go through __len and __ipairs: an empty table as on 5.3+.)
  M.raw_arrays = not M.table_len_meta
  if M.raw_arrays then
    function M.array_proxy(mt, items, n)
      local t = {}
      for i = 1, n do t[i] = items[i] end
      return setmetatable(t, mt)
    end
  else
    function M.array_proxy(mt) return setmetatable({}, mt) end
  end

  -- ------------------------------------------------------------- loading

  M.searchpath = G.package.searchpath or function(name, path, sep, rep)
    sep, rep = sep or ".", rep or "/"
    if sep ~= "" then name = name:gsub("%" .. sep, rep) end
    local tried = {}
    for template in path:gmatch("[^;]+") do
      local file = template:gsub("%?", name)
      local f = G.io.open(file, "r")
      if f then
        f:close()
        return file
      end
      tried[#tried + 1] = "\n\tno file '" .. file .. "'"
    end
    return nil, G.table.concat(tried)
  end

  -- Native load/loadfile take a mode and an environment from 5.2 on (and
  -- on LuaJIT, whose load and loadfile accept both).
  local native_modes = M.lua_num >= 502 or M.luajit

  local function check_mode(first, mode, chunkname)
    if mode == nil then return true end
    local binary = first == "\27"
    if not tostring(mode):find(binary and "b" or "t", 1, true) then
      return nil, ("attempt to load a %s chunk (mode is '%s')"):format(
        binary and "binary" or "text", tostring(mode)), chunkname
    end
    return true
  end

  M.load = native_modes and G.load or function(chunk, name, mode, env)
    local f, err
    if type(chunk) == "string" then
      local ok, merr = check_mode(chunk:sub(1, 1), mode)
      if not ok then return nil, merr end
      f, err = G.loadstring(chunk, name)
    else
      local first, checked = true, false
      f, err = G.load(function()
        local piece = chunk()
        if first and piece ~= nil and piece ~= "" then
          first = false
          local ok, merr = check_mode(piece:sub(1, 1), mode)
          if not ok then checked = merr; return nil end
        end
        return piece
      end, name)
      if checked then return nil, checked end
    end
    if f and env ~= nil then G.setfenv(f, env) end
    return f, err
  end

  M.loadfile = native_modes and G.loadfile or function(path, mode, env)
    local h, oerr = G.io.open(path, "rb")
    if not h then return nil, "cannot open " .. tostring(oerr) end
    local text = h:read("*a")
    h:close()
    return M.load(text:gsub("^#[^\n]*", ""), "@" .. path, mode, env)
  end

  -- ------------------------------------------------------------- utf8

  M.utf8 = rawget(G, "utf8") or require("siqun.compat_utf8")(M)
end
