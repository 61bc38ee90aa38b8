/** The library's version, recorded in compiled agents (a test keeps it equal to package.json's). */
export const LIBRARY_VERSION = "0.1.0";
