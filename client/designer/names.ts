// The designer's names known to VS Code (package.json): its custom editor and its command.
export const DESIGNER_VIEW_TYPE = 'lvs.designer';
export const OPEN_DESIGNER_COMMAND = 'lvs.openDesigner';
