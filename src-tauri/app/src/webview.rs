//! How the window's webview draws (WebKitGTK), set as the window opens.

/// Draws the page without accelerated compositing: WebKit then paints with the CPU into shared
/// memory instead of keeping a GL context in the web process (on a machine without a GPU, Mesa's
/// llvmpipe with LLVM mapped in). The window shows the same pages. Tauri builds the webview and
/// starts loading the page in one step, so this reaches the web process as a change: when it
/// arrives before the first composited frame no GL context is made at all (the empty window
/// 340 → 263 MB on the development machine, tests/e2e/bench/window.mjs); after it, the context
/// was made and WebKit leaves compositing, giving back part of it.
#[cfg(target_os = "linux")]
pub fn draw_without_compositing(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

#[cfg(not(target_os = "linux"))]
pub fn draw_without_compositing(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}
