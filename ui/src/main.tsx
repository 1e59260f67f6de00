import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import { defaultBackend } from "./api";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App backend={defaultBackend()} />
  </StrictMode>,
);
