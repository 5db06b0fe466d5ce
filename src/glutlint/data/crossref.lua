-- Cross-references for glutlint build: @fig:id, @tbl:id and @sec:id (pandoc-crossref style)
-- become linked "Figure N", "Table N", "Section N" before citeproc sees them as citations.
-- Figures and tables are numbered like the writers number them (captioned ones, in order).

local kinds = { fig = "Figure", tbl = "Table", sec = "Section" }
local plurals = { fig = "Figures", tbl = "Tables", sec = "Sections" }

local function has_caption(caption)
  return caption and caption.long and #caption.long > 0
end

local function collect(doc)
  local numbers = {}
  local fig, tbl = 0, 0
  local sec = {}
  doc.blocks:walk({
    Figure = function(f)
      if has_caption(f.caption) then
        fig = fig + 1
        if f.identifier ~= "" then numbers[f.identifier] = tostring(fig) end
      end
    end,
    Table = function(t)
      if has_caption(t.caption) then
        tbl = tbl + 1
        if t.identifier ~= "" then numbers[t.identifier] = tostring(tbl) end
      end
    end,
  })
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and not b.classes:includes("unnumbered") then
      sec[b.level] = (sec[b.level] or 0) + 1
      for l = b.level + 1, 9 do sec[l] = nil end
      local parts = {}
      for l = 1, b.level do parts[#parts + 1] = tostring(sec[l] or 0) end
      if b.identifier ~= "" then numbers[b.identifier] = table.concat(parts, ".") end
    end
  end
  return numbers
end

local function prefix_of(id)
  return id:match("^(%a+):")
end

function Pandoc(doc)
  local numbers = collect(doc)
  local function replace(cite)
    local kind, ids = nil, {}
    for _, c in ipairs(cite.citations) do
      local p = prefix_of(c.id)
      if not p or not kinds[p] or not numbers[c.id] then return nil end
      if kind and kind ~= p then return nil end
      kind = p
      ids[#ids + 1] = c.id
    end
    if not kind then return nil end
    local out = pandoc.Inlines({ pandoc.Str(#ids > 1 and plurals[kind] or kinds[kind]) })
    for i, id in ipairs(ids) do
      if i > 1 then out:insert(pandoc.Str(i == #ids and " and" or ",")) end
      out:insert(pandoc.Space())
      out:insert(pandoc.Link(numbers[id], "#" .. id))
    end
    return out
  end
  return doc:walk({ Cite = replace })
end
