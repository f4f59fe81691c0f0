// The URI scheme of the generated files' read-only previews (`lvs-generated:/<cluster>/<host><path>?<source>`).
export const PREVIEW_SCHEME = 'lvs-generated';
