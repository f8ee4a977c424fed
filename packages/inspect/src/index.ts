// Public API of this package is added by its issue; see README.md.
export {};
