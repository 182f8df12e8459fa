// The drawing area: React Flow bound to the editor store, steps dropped in from the palette,
// minimap, zoom controls, and "bring this step into view" requests from the problems list.
import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  useUpdateNodeInternals,
  type Connection,
  type DefaultEdgeOptions,
  type Edge,
  type IsValidConnection,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor, useEditorStore } from '../editor/editor-context';
import type { StepNode } from '../editor/flow-conversion';
import { isNodeType, STEP_KINDS } from '../editor/step-catalog';
import { useSimHighlight } from './simulator/SimulatorProvider';
import { OverviewContext, StepCard } from './StepCard';

export const STEP_MIME = 'application/x-flowbot-step';

const nodeTypes: NodeTypes = Object.fromEntries(Object.keys(STEP_KINDS).map((t) => [t, StepCard]));
const defaultEdgeOptions: DefaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
const minimapColor = (node: StepNode) => `var(--step-${STEP_KINDS[node.data.step.type].tone})`;

/**
 * Below this zoom the text on the cards is too small to read (under ~5 px): the canvas switches
 * to an overview look (no summaries, exit names, shadows or dot grid) that is also much cheaper
 * to draw with hundreds of steps on screen. The cards keep their size, so nothing moves.
 */
export const OVERVIEW_ZOOM = 0.45;
const isOverview = (s: { transform: [number, number, number] }) => s.transform[2] < OVERVIEW_ZOOM;

/**
 * Roughly the zoom fitView will pick, from the steps' positions and the window size, so the
 * first render already has the right level of detail (a big flow then never renders its
 * minimap, grid and summaries at 100 % only to drop them a frame later). fitView then corrects it.
 */
export function estimatedFitZoom(nodes: readonly { position: { x: number; y: number } }[], view: { width: number; height: number }): number {
  if (nodes.length === 0) return 1;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { position: p } of nodes) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + 200);
    maxY = Math.max(maxY, p.y + 70);
  }
  const zoom = Math.min(view.width / ((maxX - minX) * 1.5), view.height / ((maxY - minY) * 1.5));
  return Math.max(0.05, Math.min(1, zoom));
}

/** Where a dropped card goes: centred under the pointer. */
const CARD_OFFSET = { x: 100, y: 24 };

export function Canvas() {
  const { t } = useTranslation('editor');
  const store = useEditorStore();
  // The simulator's active step is marked on its node (class sim-active) while the simulator is open.
  const nodes = useSimHighlight(useEditor((s) => s.nodes));
  const edges = useEditor((s) => s.edges);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const beginDrag = useEditor((s) => s.beginDrag);
  const endDrag = useEditor((s) => s.endDrag);
  const focus = useEditor((s) => s.focus);
  const [defaultViewport] = useState(() => {
    // The canvas is the window minus the side panels (232 + 340 px) and the bar.
    const zoom = estimatedFitZoom(store.getState().nodes, { width: window.innerWidth - 572, height: window.innerHeight - 54 });
    return { x: 0, y: 0, zoom };
  });
  const remeasure = useEditor((s) => s.remeasure);
  const rf = useReactFlow<StepNode>();
  const updateNodeInternals = useUpdateNodeInternals();

  // A step's exits changed (an option added, the kind of answer changed): React Flow measured its
  // handles once and must do it again, after the card rendered its new handles.
  useEffect(() => {
    if (remeasure) updateNodeInternals(remeasure.ids);
  }, [remeasure, updateNodeInternals]);
  const overview = useFlowStore(isOverview);
  // Rendered in the first pass already, so a big flow starts (and stays) light.

  const onConnect = useCallback((c: Connection) => void store.getState().connect(c), [store]);

  // A plain click on one step of a multi-selection selects just that step (as in drawing tools);
  // React Flow would keep the whole selection.
  const onNodeClick = useCallback(
    (e: ReactMouseEvent, node: StepNode) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      const s = store.getState();
      if (s.nodes.some((n) => n.selected && n.id !== node.id) || s.edges.some((ed) => ed.selected)) s.selectOnly([node.id]);
    },
    [store],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c: Connection | Edge) => {
      if (c.source === c.target) return false;
      const target = store.getState().nodes.find((n) => n.id === c.target);
      return target !== undefined && target.type !== 'start';
    },
    [store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(STEP_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(STEP_MIME);
      if (!isNodeType(type)) return;
      e.preventDefault();
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      store.getState().addStep(type, { x: Math.round(at.x - CARD_OFFSET.x), y: Math.round(at.y - CARD_OFFSET.y) });
    },
    [rf, store],
  );

  useEffect(() => {
    if (!focus || focus.ids.length === 0) return;
    void rf.fitView({ nodes: focus.ids.map((id) => ({ id })), duration: 350, maxZoom: 1.2, padding: 0.8 });
  }, [focus, rf]);

  return (
    <OverviewContext.Provider value={overview}>
      <div className={`canvas${overview ? ' is-overview' : ''}`} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
        <ReactFlow<StepNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onNodeClick={onNodeClick}
          isValidConnection={isValidConnection}
          onNodeDragStart={beginDrag}
          onNodeDragStop={endDrag}
          onSelectionDragStart={beginDrag}
          onSelectionDragStop={endDrag}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          fitView
          defaultViewport={defaultViewport}
          fitViewOptions={{ padding: 0.25, maxZoom: 1 }}
          minZoom={0.05}
          maxZoom={2}
          aria-label={t('canvas.label')}
        >
          {!overview && <Background variant={BackgroundVariant.Dots} gap={22} size={1.4} />}
          {!overview && <MiniMap<StepNode> pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={0} ariaLabel="Overview of the flow" />}
          <Controls showInteractive={false} aria-label={t('canvas.zoom')} />
        </ReactFlow>
      </div>
    </OverviewContext.Provider>
  );
}
