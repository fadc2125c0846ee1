-- luajit core.lua LONG.csv: the core of issue 16 (README.md) in Lua.
-- Strings are bytes: "≥" is 3 of them.  Assumes what the generator writes:
-- no quoted fields, a report's rows together.
local find, sub, match, format, floor = string.find, string.sub, string.match, string.format, math.floor
local write = io.write

local function r2(x) return floor(x * 100 + 0.5) / 100 end  -- x >= 0: half away from zero
local function number(cell) return tonumber(match(cell, "^[%d.]+")) end  -- units dropped

local cur, total, sum, stated, findings
local function emit()
  if cur == nil then return end
  if math.abs(stated - sum) > 0.005 then findings = findings + 1 end
  write(format("%s,%.2f,%.2f,%.2f,%d\n", cur, total, sum, stated, findings))
end

local f, first = {}, true
for line in io.lines(arg[1]) do
  if first then first = false else  -- skip the header
    local n, pos = 0, 1
    while true do
      local c = find(line, ",", pos, true)
      n = n + 1
      if not c then f[n] = sub(line, pos); break end
      f[n] = sub(line, pos, c - 1)
      pos = c + 1
    end
    f[n + 1] = nil  -- a file without the reason column
    if f[1] ~= cur then
      emit()
      cur, total, sum, stated, findings = f[1], 0, 0, 0, 0
    end
    if f[2] == "总分" then
      stated = tonumber(f[8])
    elseif f[2] ~= "自评结论" then
      local t, a, w, rep = f[5], f[6], tonumber(f[7]), tonumber(f[8])
      local q = sub(t, 1, 3)
      if q == "≥" or q == "≤" then t = sub(t, 4) end
      local s
      if not find(t, "^%d") then  -- text: met when the actual says the same
        s = (a == t) and w or 0
      else
        t, a = number(t), number(a)
        if q == "≤" or f[3] == "成本指标" then
          s = a <= t and w or (a >= 2 * t and 0 or r2(w * (2 * t - a) / t))
        else
          s = a >= t and w or r2(w * a / t)
        end
      end
      total, sum = total + s, sum + rep
      local why = f[9] or ""
      if s == w and rep < w - 0.005 and (why == "" or why == "无") then findings = findings + 1 end
    end
  end
end
emit()
