# Generated sources kept in the repository, under csrc/gen/: a fresh clone
# builds without their generators, and the build never rewrites a tracked
# file.  After changing a generator's input, `make gen` writes them again
# (only those whose content changes); `make gen-check` (part of `make
# analyze`) fails when one is out of date.
#   csrc/gen/sq_qtab.h   the quantity parser's character table and word
#                        indexes, from csrc/tools/sq_qtab.lua's numeral list
#                        and the word tables of sq_qunits.c

# The generator uses Lua 5.3's integer operators.
GEN_LUA   ?= lua5.4
QTAB_H     = csrc/gen/sq_qtab.h
QTAB_CMD   = $(GEN_LUA) csrc/tools/sq_qtab.lua $(filter %/sq_qunits.c,$(CORE_SRC))
GEN_CHECK  = $(BUILD)/gen-check

.PHONY: gen gen-check

gen:
	@mkdir -p $(dir $(QTAB_H))
	$(QTAB_CMD) > $(QTAB_H).tmp
	@if cmp -s $(QTAB_H).tmp $(QTAB_H); then rm -f $(QTAB_H).tmp; echo "$(QTAB_H) is up to date"; \
	else mv $(QTAB_H).tmp $(QTAB_H); echo "$(QTAB_H) written"; fi

gen-check:
	@mkdir -p $(GEN_CHECK)
	@$(QTAB_CMD) > $(GEN_CHECK)/sq_qtab.h
	@cmp -s $(GEN_CHECK)/sq_qtab.h $(QTAB_H) \
	  || { echo "$(QTAB_H) is out of date: run make gen" >&2; exit 1; }
