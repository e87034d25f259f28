export declare const INSTALL_ELECTRON: string
export declare const ELECTRON_MISSING_REASON: string
export declare function installedElectron(): string | null
