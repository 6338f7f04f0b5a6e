/*
 * The modules of our lighttpd (Makefile: lighttpd), linked in statically.
 *
 * lighttpd built with LIGHTTPD_STATIC (configure's LIGHTTPD_STATIC=yes)
 * takes its table of modules from this header, which it leaves to whoever
 * builds it: src/plugin.c includes it twice with PLUGIN_INIT(x) defined
 * first as the declaration of x_plugin_init and then as an entry of the
 * table that server.modules names are looked up in. The Makefile puts this
 * directory on the include path; lighttpd's tree has no such file.
 *
 * These serve static files: the file itself, a directory's index file or
 * its listing, access rules, the access log, headers set by configuration
 * and Expires/Cache-Control. mod_rewrite and mod_redirect are left out:
 * they need PCRE2, which is not built (README: lighttpd).
 */
PLUGIN_INIT(mod_access)
PLUGIN_INIT(mod_accesslog)
PLUGIN_INIT(mod_dirlisting)
PLUGIN_INIT(mod_expire)
PLUGIN_INIT(mod_indexfile)
PLUGIN_INIT(mod_setenv)
PLUGIN_INIT(mod_staticfile)
