// The URI scheme of a deploy plan's virtual documents (`lvs-deploy-plan:/<host><path>?before|after`).
export const PLAN_SCHEME = 'lvs-deploy-plan';
