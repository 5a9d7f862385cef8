export declare const VERSION: string;
export declare function usage(lists?: { caseIds?: readonly string[]; familyIds?: readonly string[]; opNames?: readonly string[] }): string;
