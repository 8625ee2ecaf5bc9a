/**
 * Bundled in place of the `source-map` package (see BUNDLE_SETTINGS.alias). Handlebars' code generator loads it only
 * to attach source maps to compiled templates, and uses its own small stand-in when the package has no SourceNode,
 * which is what this empty module gives it: templates compile the same, ~26 KB lighter.
 */
export {};
