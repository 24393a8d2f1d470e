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

/// The variable that turns off WebKitGTK's DMA-BUF renderer (2.42 and later).
#[cfg(target_os = "linux")]
const DMABUF_RENDERER_OFF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Turns off WebKitGTK's DMA-BUF renderer unless the dealer's environment says otherwise.
/// Even drawing without compositing, it kept an EGL display and its buffers in the web process:
/// 54 MB of its private memory with a 100,000-customer book on the list, the whole window
/// 371.6 → 316.0 MB (tests/e2e/bench/window.mjs). WebKit then draws into shared memory as it
/// did before 2.42; the pages look the same. WebKit reads the variable once, when it starts.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn without_dmabuf_renderer() {
    if std::env::var_os(DMABUF_RENDERER_OFF).is_none() {
        // SAFETY: called first thing in `main`, before any thread exists that could read or
        // write the environment at the same time.
        unsafe { std::env::set_var(DMABUF_RENDERER_OFF, "1") };
    }
}

#[cfg(not(target_os = "linux"))]
pub fn without_dmabuf_renderer() {}
