/**
 * The API's version (semver): the major changes with a breaking change to a path, a parameter or
 * a field; each change is an entry of CHANGELOG.md. Answers carry it in `API-Version`.
 */
export const API_VERSION = '3.1.0';
