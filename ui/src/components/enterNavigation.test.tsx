import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { fieldsIn, handleEnterKey } from "./enterNavigation";

function Form({ onLast }: { onLast: () => void }) {
  return (
    <div onKeyDown={(e) => handleEnterKey(e, onLast)}>
      <input data-testid="a" />
      <input type="radio" name="g" value="1" data-testid="r1" />
      <input type="radio" name="g" value="2" data-testid="r2" defaultChecked />
      <input data-testid="disabled" disabled />
      <textarea data-testid="notes" />
      <input data-testid="b" />
    </div>
  );
}

/** A dropdown whose choice enables the field after it, as a material lot enables its quantity. */
function LotLine() {
  const [lot, setLot] = useState("");
  return (
    <div onKeyDown={(e) => handleEnterKey(e, () => undefined)}>
      <div className="ant-select">
        <input data-testid="lot" onKeyDown={(e) => e.key === "Enter" && setLot("L-A1")} />
      </div>
      <input data-testid="qty" disabled={!lot} />
      <input data-testid="after" />
    </div>
  );
}

describe("Enter navigation", () => {
  it("after choosing in a dropdown, moves to the field the choice enabled", async () => {
    render(<LotLine />);
    screen.getByTestId("lot").focus();
    fireEvent.keyDown(screen.getByTestId("lot"), { key: "Enter" });
    await waitFor(() => expect(screen.getByTestId("qty")).toHaveFocus());
  });

  it("counts a radio group once, at its checked radio, and skips disabled fields", () => {
    const { container } = render(<Form onLast={() => undefined} />);
    expect(fieldsIn(container).map((f) => f.dataset.testid)).toEqual(["a", "r2", "notes", "b"]);
  });

  it("moves to the next field and calls onLast on the last one", () => {
    const onLast = vi.fn();
    render(<Form onLast={onLast} />);
    screen.getByTestId("a").focus();
    fireEvent.keyDown(screen.getByTestId("a"), { key: "Enter" });
    expect(screen.getByTestId("r2")).toHaveFocus();
    fireEvent.keyDown(screen.getByTestId("b"), { key: "Enter" });
    expect(onLast).toHaveBeenCalledTimes(1);
  });

  it("leaves Enter alone while an IME is composing and inside text areas", () => {
    const onLast = vi.fn();
    render(<Form onLast={onLast} />);
    screen.getByTestId("a").focus();
    fireEvent.keyDown(screen.getByTestId("a"), { key: "Enter", isComposing: true });
    fireEvent.keyDown(screen.getByTestId("a"), { key: "Enter", keyCode: 229 });
    expect(screen.getByTestId("a")).toHaveFocus();
    screen.getByTestId("notes").focus();
    fireEvent.keyDown(screen.getByTestId("notes"), { key: "Enter" });
    expect(screen.getByTestId("notes")).toHaveFocus();
    expect(onLast).not.toHaveBeenCalled();
  });
});
