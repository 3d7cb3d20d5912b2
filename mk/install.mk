# make install: the module (core.so and the Lua layer) and the command; and,
# unless SIQUN_INSTALL_C=no, the C library, its headers and a pkg-config
# file siqun.pc.  LuaRocks passes SIQUN_INSTALL_C=no: its make install
# deploys PREFIX/lib as Lua modules.

INST_INCDIR   ?= $(PREFIX)/include
INST_CLIBDIR  ?= $(PREFIX)/lib
INST_PCDIR    ?= $(INST_CLIBDIR)/pkgconfig
SIQUN_INSTALL_C ?= yes
SIQUN_VERSION_NUM := $(shell sed -n 's/^\#define SIQUN_VERSION "\(.*\)"/\1/p' csrc/siqun.h)

.PHONY: install uninstall install-c uninstall-c

install: $(CORE_SO) $(if $(filter no,$(SIQUN_INSTALL_C)),,install-c) $(CLI_BIN)
	install -d $(DESTDIR)$(INST_LIBDIR)/siqun $(DESTDIR)$(INST_LUADIR)/siqun $(DESTDIR)$(INST_BINDIR)
	install -m 755 $(CORE_SO) $(DESTDIR)$(INST_LIBDIR)/siqun/core.so
	cd lua && for f in $$(find siqun -name '*.lua' | sort); do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(INST_LUADIR)/$$f" || exit 1; done
	# (an older install's modules that are folders now: siqun/query/, siqun/cli/)
	rm -f $(DESTDIR)$(INST_LUADIR)/siqun/query.lua $(DESTDIR)$(INST_LUADIR)/siqun/cli.lua
	install -m 755 $(CLI_BIN) $(DESTDIR)$(INST_BINDIR)/siqun

uninstall: $(if $(filter no,$(SIQUN_INSTALL_C)),,uninstall-c)
	rm -rf $(DESTDIR)$(INST_LIBDIR)/siqun $(DESTDIR)$(INST_LUADIR)/siqun $(DESTDIR)$(INST_BINDIR)/siqun

$(BUILD)/siqun.pc: csrc/siqun.pc.in csrc/siqun.h FORCE | $(BUILD)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(INST_CLIBDIR)|g' \
	  -e 's|@INCLUDEDIR@|$(INST_INCDIR)|g' -e 's|@VERSION@|$(SIQUN_VERSION_NUM)|g' \
	  csrc/siqun.pc.in > $@.tmp && mv $@.tmp $@

install-c: $(LIBSIQUN) $(LIBSIQUN_LUA) $(BUILD)/siqun.pc
	install -d $(DESTDIR)$(INST_CLIBDIR) $(DESTDIR)$(INST_INCDIR) $(DESTDIR)$(INST_PCDIR)
	install -m 644 $(LIBSIQUN) $(LIBSIQUN_LUA) $(DESTDIR)$(INST_CLIBDIR)/
	install -m 644 csrc/siqun.h csrc/siqun_lua.h $(DESTDIR)$(INST_INCDIR)/
	install -m 644 $(BUILD)/siqun.pc $(DESTDIR)$(INST_PCDIR)/siqun.pc

uninstall-c:
	rm -f $(DESTDIR)$(INST_CLIBDIR)/libsiqun.a $(DESTDIR)$(INST_CLIBDIR)/libsiqun_lua.a \
	  $(DESTDIR)$(INST_INCDIR)/siqun.h $(DESTDIR)$(INST_INCDIR)/siqun_lua.h \
	  $(DESTDIR)$(INST_PCDIR)/siqun.pc
